// SPDX-License-Identifier: AGPL-3.0-or-later
#include "config/config_keys.h"

#include <algorithm>
#include <optional>
#include <variant>

#include "core/string_util.h"

namespace x2gobroker::config {
namespace {

using core::BackendSection;
using core::BrokerConfig;

// A member of Owner that receives a typed value; the member's type decides the parsing.
template <typename Owner>
using Field = std::variant<bool Owner::*, int64_t Owner::*, std::string Owner::*,
                           std::optional<std::string> Owner::*, std::vector<std::string> Owner::*>;

core::Status ParseInto(const ConfigValue& v, bool* out) { return ParseBoolValue(v, out); }
core::Status ParseInto(const ConfigValue& v, int64_t* out) { return ParseIntValue(v, out); }
core::Status ParseInto(const ConfigValue& v, std::string* out) { return ParseStringValue(v, out); }
core::Status ParseInto(const ConfigValue& v, std::vector<std::string>* out) { return ParseListValue(v, out); }
core::Status ParseInto(const ConfigValue& v, std::optional<std::string>* out) {
  // Keys whose built-in default is None (my-cookie, https_get target): an empty value stays
  // unset. An empty static cookie would otherwise be a cookie that anyone can present.
  std::string text;
  core::Status status = ParseStringValue(v, &text);
  if (!status.ok()) return status;
  if (text.empty()) {
    out->reset();
  } else {
    *out = std::move(text);
  }
  return core::Status::Ok();
}

template <typename Owner>
core::Status ApplyField(const Field<Owner>& field, const ConfigValue& value, Owner* owner) {
  return std::visit([&](auto member) { return ParseInto(value, &(owner->*member)); }, field);
}

// Keys of the sections that map straight onto BrokerConfig: [global] (§2.3) and
// [authmech_https_get] (§2.4).
struct PlainKey {
  std::string_view section;
  std::string_view key;
  Field<BrokerConfig> field;
};

const std::vector<PlainKey>& PlainKeys() {
  static const std::vector<PlainKey> keys = {
      {"global", "check-credentials", &BrokerConfig::check_credentials},
      {"global", "require-password", &BrokerConfig::require_password},
      {"global", "require-cookie", &BrokerConfig::require_cookie},
      {"global", "use-static-cookie", &BrokerConfig::use_static_cookie},
      {"global", "auth-timeout", &BrokerConfig::auth_timeout},
      {"global", "cookie-directory", &BrokerConfig::cookie_directory},
      {"global", "verify-ip", &BrokerConfig::verify_ip},
      {"global", "pre_auth_scripts", &BrokerConfig::pre_auth_scripts},
      {"global", "post_auth_scripts", &BrokerConfig::post_auth_scripts},
      {"global", "select_session_scripts", &BrokerConfig::select_session_scripts},
      {"global", "optional-scripts-timeout", &BrokerConfig::optional_scripts_timeout},
      {"global", "optional-scripts-on-failure", &BrokerConfig::optional_scripts_on_failure},
      {"global", "my-cookie", &BrokerConfig::my_cookie},
      {"global", "my-cookie-file", &BrokerConfig::my_cookie_file},
      {"global", "enable-plain-output", &BrokerConfig::enable_plain_output},
      {"global", "enable-json-output", &BrokerConfig::enable_json_output},
      {"global", "enable-uccs-output", &BrokerConfig::enable_uccs_output},
      {"global", "my-uccs-url-base", &BrokerConfig::my_uccs_url_base},
      {"global", "default-auth-mech", &BrokerConfig::default_auth_mech},
      {"global", "default-user-db", &BrokerConfig::default_user_db},
      {"global", "default-group-db", &BrokerConfig::default_group_db},
      {"global", "ignore-primary-group-memberships", &BrokerConfig::ignore_primary_group_memberships},
      {"global", "default-session-autologin", &BrokerConfig::default_session_autologin},
      {"global", "default-authorized-keys", &BrokerConfig::default_authorized_keys},
      {"global", "default-sshproxy-authorized-keys", &BrokerConfig::default_sshproxy_authorized_keys},
      {"global", "default-agent-query-mode", &BrokerConfig::default_agent_query_mode},
      {"global", "default-agent-hostkey-policy", &BrokerConfig::default_agent_hostkey_policy},
      {"global", "default-portscan-x2goservers", &BrokerConfig::default_portscan_x2goservers},
      {"global", "default-use-load-checker", &BrokerConfig::default_use_load_checker},
      {"global", "load-checker-intervals", &BrokerConfig::load_checker_intervals},
      {"global", "agent-ssh-directory", &BrokerConfig::agent_ssh_directory},
      {"global", "agent-known-hosts", &BrokerConfig::agent_known_hosts},
      {"global", "agent-connect-timeout", &BrokerConfig::agent_connect_timeout},
      {"global", "agent-command-timeout", &BrokerConfig::agent_command_timeout},
      {"global", "agent-idle-timeout", &BrokerConfig::agent_idle_timeout},
      {"global", "suspend-wait-timeout", &BrokerConfig::suspend_wait_timeout},
      {"global", "login-must-match-user", &BrokerConfig::login_must_match_user},
      {"global", "autologin-key-lifetime", &BrokerConfig::autologin_key_lifetime},
      {"global", "autologin-key-expiry-time", &BrokerConfig::autologin_key_expiry_time},
      {"global", "autologin-key-from-client", &BrokerConfig::autologin_key_from_client},
      {"global", "key-deletion-directory", &BrokerConfig::key_deletion_directory},
      {"authmech_https_get", "host", &BrokerConfig::https_get_host},
      {"authmech_https_get", "path", &BrokerConfig::https_get_path},
      {"authmech_https_get", "port", &BrokerConfig::https_get_port},
      {"authmech_https_get", "ca-file", &BrokerConfig::https_get_ca_file},
  };
  return keys;
}

// Keys of [broker_<name>] sections (§2.4). Keys without a BackendSection member are validated
// by type and kept verbatim in `extra` (the ldap placeholder, zeroconf's unused load-checker).
struct BackendKey {
  std::string_view key;
  std::optional<Field<BackendSection>> field;
  bool extra_is_bool = false;
  std::vector<std::string_view> only_for;  // empty: every backend
};

const std::vector<BackendKey>& BackendKeys() {
  // [broker_base] is the reference's abstract backend: it can only be (and stay) disabled.
  const std::vector<std::string_view> serving = {"inifile", "yaml", "zeroconf", "ldap"};
  static const std::vector<BackendKey> keys = {
      {"enable", &BackendSection::enable, false, {}},
      {"auth-mech", &BackendSection::auth_mech, false, serving},
      {"user-db", &BackendSection::user_db, false, serving},
      {"group-db", &BackendSection::group_db, false, serving},
      {"use-load-checker", &BackendSection::use_load_checker, false, serving},
      {"agent-query-mode", &BackendSection::agent_query_mode, false, serving},
      {"agent-hostkey-policy", &BackendSection::agent_hostkey_policy, false, serving},
      {"session-profiles", &BackendSection::session_profiles, false, {"inifile", "yaml"}},
      {"desktop-shell", &BackendSection::desktop_shell, false, {"zeroconf"}},
      {"load-checker", std::nullopt, true, {"zeroconf", "ldap"}},
      {"uri", std::nullopt, false, {"ldap"}},
      {"base", std::nullopt, false, {"ldap"}},
      {"user-search-filter", std::nullopt, false, {"ldap"}},
      {"host-search-filter", std::nullopt, false, {"ldap"}},
      {"group-search-filter", std::nullopt, false, {"ldap"}},
      {"starttls", std::nullopt, true, {"ldap"}},
  };
  return keys;
}

constexpr std::string_view kBackendPrefix = "broker_";

// The backend name of a [broker_<name>] section, or "" for any other section.
std::string_view BackendOf(std::string_view section) {
  if (!core::StartsWith(section, kBackendPrefix)) return {};
  std::string_view name = section.substr(kBackendPrefix.size());
  const auto& names = KnownBackendNames();
  return std::find(names.begin(), names.end(), name) != names.end() ? name : std::string_view{};
}

const PlainKey* FindPlainKey(std::string_view section, std::string_view key) {
  for (const PlainKey& k : PlainKeys()) {
    if (k.section == section && k.key == key) return &k;
  }
  return nullptr;
}

const BackendKey* FindBackendKey(std::string_view backend, std::string_view key) {
  for (const BackendKey& k : BackendKeys()) {
    if (k.key != key) continue;
    if (k.only_for.empty() || std::find(k.only_for.begin(), k.only_for.end(), backend) != k.only_for.end()) {
      return &k;
    }
  }
  return nullptr;
}

}  // namespace

const std::vector<std::string>& KnownBackendNames() {
  static const std::vector<std::string> names = {"inifile", "yaml", "zeroconf", "base", "ldap"};
  return names;
}

const std::vector<std::string>& KnownSections() {
  static const std::vector<std::string> sections = [] {
    std::vector<std::string> s = {"global"};
    for (const std::string& backend : KnownBackendNames()) s.push_back(std::string(kBackendPrefix) + backend);
    s.push_back("authmech_https_get");
    s.push_back("authmech_pam");  // named in the reference's sample, has no keys
    return s;
  }();
  return sections;
}

bool IsKnownSection(std::string_view section) {
  const auto& sections = KnownSections();
  return std::find(sections.begin(), sections.end(), section) != sections.end();
}

std::vector<std::string> KnownKeys(std::string_view section) {
  std::vector<std::string> keys;
  std::string_view backend = BackendOf(section);
  if (!backend.empty()) {
    for (const BackendKey& k : BackendKeys()) {
      if (FindBackendKey(backend, k.key) == &k) keys.emplace_back(k.key);
    }
  } else {
    for (const PlainKey& k : PlainKeys()) {
      if (k.section == section) keys.emplace_back(k.key);
    }
  }
  return keys;
}

bool IsKnownKey(std::string_view section, std::string_view key) {
  std::string_view backend = BackendOf(section);
  if (!backend.empty()) return FindBackendKey(backend, key) != nullptr;
  return FindPlainKey(section, key) != nullptr;
}

bool IsKnownKeyInAnySection(std::string_view key) {
  for (const std::string& section : KnownSections()) {
    if (IsKnownKey(section, key)) return true;
  }
  return false;
}

std::map<std::string, BackendSection> DefaultBackendSections() {
  std::map<std::string, BackendSection> backends;

  BackendSection& inifile = backends["inifile"];
  inifile.enable = true;
  inifile.session_profiles = "/etc/x2go/broker/x2gobroker-sessionprofiles.conf";
  inifile.use_load_checker = true;  // the built-in default, although the sample comments false

  // Our extension. It mirrors inifile (same model, same answers) except that it is off.
  BackendSection& yaml = backends["yaml"];
  yaml.enable = false;
  yaml.session_profiles = "/etc/x2go/broker/x2gobroker-sessionprofiles.yaml";
  yaml.use_load_checker = true;

  BackendSection& zeroconf = backends["zeroconf"];
  zeroconf.enable = false;
  zeroconf.auth_mech = "pam";
  zeroconf.user_db = "libnss";
  zeroconf.group_db = "libnss";
  zeroconf.desktop_shell = "KDE";
  zeroconf.extra["load-checker"] = "false";

  backends["base"].enable = false;

  BackendSection& ldap = backends["ldap"];
  ldap.enable = false;
  ldap.auth_mech = "ldap";
  ldap.user_db = "ldap";
  ldap.group_db = "ldap";
  ldap.agent_query_mode = "SSH";
  ldap.extra = {
      {"uri", "ldap://localhost:389"},
      {"base", "dc=example,dc=org"},
      {"user-search-filter", "(&(objectClass=posixAccount)(uid=*))"},
      {"host-search-filter", "(&(objectClass=ipHost)(serial=X2GoServer)(cn=*))"},
      // The reference's default reads "posifxGroup"; a typo in a placeholder, fixed here.
      {"group-search-filter", "(&(objectClass=posixGroup)(cn=*))"},
      {"starttls", "false"},
      {"load-checker", "true"},
  };
  return backends;
}

core::Status ApplyConfigKey(std::string_view section, const ConfigValue& value, BrokerConfig* config) {
  const std::string& key = value.entry.key;
  std::string_view backend = BackendOf(section);
  if (backend.empty()) {
    const PlainKey* spec = FindPlainKey(section, key);
    if (spec == nullptr) return core::Internal("ApplyConfigKey: unknown key " + key);
    return ApplyField(spec->field, value, config);
  }
  const BackendKey* spec = FindBackendKey(backend, key);
  if (spec == nullptr) return core::Internal("ApplyConfigKey: unknown key " + key);
  BackendSection& target = config->backends[std::string(backend)];
  if (spec->field) return ApplyField(*spec->field, value, &target);
  // Extra keys: validated by type, stored as written.
  std::string text;
  core::Status status = ParseStringValue(value, &text);
  if (status.ok() && spec->extra_is_bool) {
    bool ignored = false;
    status = ParseBoolValue(value, &ignored);
  }
  if (!status.ok()) return status;
  target.extra[key] = std::move(text);
  return core::Status::Ok();
}

}  // namespace x2gobroker::config
