// SPDX-License-Identifier: AGPL-3.0-or-later
// Tests config/broker_config_loader.cc (with config_keys, config_value, the validator):
// typing and defaults of every key, [DEFAULT] inheritance, errors naming file:line and key,
// warnings for unknown keys and ignored scripts, the session-profiles override.
#include "config/broker_config_loader.h"

#include <doctest/doctest.h>

#include <fstream>
#include <functional>
#include <regex>
#include <sstream>

#include "config/config_keys.h"
#include "core/ini_parser.h"
#include "test/config/temp_dir.h"

namespace x2gobroker::config {
namespace {

using testing::TempDir;

struct Loaded {
  core::Result<core::BrokerConfig> config;
  std::vector<std::string> warnings;
  std::string path;
};

Loaded Load(const TempDir& dir, const std::string& text, core::BrokerEnvironment env = {}) {
  env.config_file = dir.Write("x2gobroker.conf", text);
  std::vector<std::string> warnings;
  core::Result<core::BrokerConfig> config = LoadBrokerConfig(env, &warnings);
  return Loaded{std::move(config), std::move(warnings), env.config_file};
}

// The reference's built-in defaults (PROTOCOL.md §2.3, §2.4), checked field by field.
void CheckReferenceDefaults(const core::BrokerConfig& c) {
  CHECK(c.check_credentials == true);
  CHECK(c.require_password == true);
  CHECK(c.require_cookie == false);
  CHECK(c.use_static_cookie == false);
  CHECK(c.auth_timeout == 36000);
  CHECK(c.cookie_directory == "/var/lib/x2gobroker/cookies");
  CHECK(c.verify_ip == true);
  CHECK(c.pre_auth_scripts.empty());
  CHECK(c.post_auth_scripts.empty());
  CHECK(c.select_session_scripts.empty());
  CHECK_FALSE(c.my_cookie.has_value());
  CHECK(c.my_cookie_file == "/etc/x2go/broker/x2gobroker.authid");
  CHECK(c.enable_plain_output == true);
  CHECK(c.enable_json_output == true);
  CHECK(c.enable_uccs_output == false);
  CHECK(c.my_uccs_url_base == "http://localhost:8080/");
  CHECK(c.default_auth_mech == "pam");
  CHECK(c.default_user_db == "libnss");
  CHECK(c.default_group_db == "libnss");
  CHECK(c.ignore_primary_group_memberships == true);
  CHECK(c.default_session_autologin == false);
  CHECK(c.default_authorized_keys == "%h/.x2go/authorized_keys");
  CHECK(c.default_sshproxy_authorized_keys == "%h/.x2go/authorized_keys");
  CHECK(c.default_agent_query_mode == "NONE");
  CHECK(c.default_agent_hostkey_policy == "RejectPolicy");
  CHECK(c.default_portscan_x2goservers == true);
  CHECK(c.default_use_load_checker == false);
  CHECK(c.load_checker_intervals == 300);

  REQUIRE(c.backends.size() == 5);
  const core::BackendSection& inifile = c.backends.at("inifile");
  CHECK(inifile.enable == true);
  CHECK(inifile.session_profiles == "/etc/x2go/broker/x2gobroker-sessionprofiles.conf");
  CHECK(inifile.auth_mech.empty());
  CHECK(inifile.user_db.empty());
  CHECK(inifile.group_db.empty());
  CHECK(inifile.use_load_checker == true);
  CHECK(inifile.agent_query_mode.empty());
  CHECK(inifile.agent_hostkey_policy.empty());

  const core::BackendSection& yaml = c.backends.at("yaml");
  CHECK(yaml.enable == false);
  CHECK(yaml.session_profiles == "/etc/x2go/broker/x2gobroker-sessionprofiles.yaml");
  CHECK(yaml.use_load_checker == true);

  const core::BackendSection& zeroconf = c.backends.at("zeroconf");
  CHECK(zeroconf.enable == false);
  CHECK(zeroconf.auth_mech == "pam");
  CHECK(zeroconf.user_db == "libnss");
  CHECK(zeroconf.group_db == "libnss");
  CHECK(zeroconf.desktop_shell == "KDE");

  CHECK(c.backends.at("base").enable == false);

  const core::BackendSection& ldap = c.backends.at("ldap");
  CHECK(ldap.enable == false);
  CHECK(ldap.auth_mech == "ldap");
  CHECK(ldap.user_db == "ldap");
  CHECK(ldap.group_db == "ldap");
  CHECK(ldap.agent_query_mode == "SSH");
  CHECK(ldap.extra.at("uri") == "ldap://localhost:389");
  CHECK(ldap.extra.at("base") == "dc=example,dc=org");
  CHECK(ldap.extra.at("starttls") == "false");
  CHECK(ldap.extra.at("load-checker") == "true");
  CHECK(ldap.extra.count("user-search-filter") == 1);
  CHECK(ldap.extra.count("host-search-filter") == 1);
  CHECK(ldap.extra.count("group-search-filter") == 1);

  CHECK_FALSE(c.https_get_host.has_value());
  CHECK_FALSE(c.https_get_path.has_value());
  CHECK_FALSE(c.https_get_port.has_value());
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

TEST_SUITE("config/broker_config_loader") {

TEST_CASE("a file without keys yields the reference's built-in defaults") {
  TempDir dir;
  for (const char* text : {"", "[global]\n", "# only a comment\n[global]\n[broker_inifile]\n[broker_zeroconf]\n"}) {
    CAPTURE(text);
    Loaded loaded = Load(dir, text);
    REQUIRE(loaded.config.ok());
    CHECK(loaded.warnings.empty());
    CHECK(loaded.config->source == loaded.path);
    CheckReferenceDefaults(loaded.config.value());
  }
}

TEST_CASE("every [global] key is typed by its built-in default") {
  using Check = std::function<void(const core::BrokerConfig&)>;
  struct Row {
    const char* line;
    Check check;
  };
  const Row rows[] = {
      {"check-credentials = no", [](auto& c) { CHECK(c.check_credentials == false); }},
      {"require-password = OFF", [](auto& c) { CHECK(c.require_password == false); }},
      {"require-cookie = True", [](auto& c) { CHECK(c.require_cookie == true); }},
      {"use-static-cookie = 1", [](auto& c) { CHECK(c.use_static_cookie == true); }},
      {"auth-timeout = 1_800", [](auto& c) { CHECK(c.auth_timeout == 1800); }},
      {"auth-timeout = not-set", [](auto& c) { CHECK(c.auth_timeout == 36000); }},
      {"auth-timeout = +0", [](auto& c) { CHECK(c.auth_timeout == 0); }},
      {"cookie-directory = /srv/cookies", [](auto& c) { CHECK(c.cookie_directory == "/srv/cookies"); }},
      {"verify-ip = no", [](auto& c) { CHECK(c.verify_ip == false); }},
      {"my-cookie = 0b6e3f2a-0000-4000-8000-000000000000",
       [](auto& c) { CHECK(c.my_cookie == std::optional<std::string>("0b6e3f2a-0000-4000-8000-000000000000")); }},
      {"my-cookie =", [](auto& c) { CHECK_FALSE(c.my_cookie.has_value()); }},
      {"my-cookie-file = /etc/cookie", [](auto& c) { CHECK(c.my_cookie_file == "/etc/cookie"); }},
      {"enable-plain-output = false", [](auto& c) { CHECK(c.enable_plain_output == false); }},
      {"enable-json-output = false", [](auto& c) { CHECK(c.enable_json_output == false); }},
      {"enable-uccs-output = yes", [](auto& c) { CHECK(c.enable_uccs_output == true); }},
      {"my-uccs-url-base = https://broker.example.org/", [](auto& c) { CHECK(c.my_uccs_url_base == "https://broker.example.org/"); }},
      {"default-auth-mech = none", [](auto& c) { CHECK(c.default_auth_mech == "none"); }},
      {"default-user-db = ldap", [](auto& c) { CHECK(c.default_user_db == "ldap"); }},
      {"default-group-db = ldap", [](auto& c) { CHECK(c.default_group_db == "ldap"); }},
      {"ignore-primary-group-memberships = false", [](auto& c) { CHECK(c.ignore_primary_group_memberships == false); }},
      {"default-session-autologin = true", [](auto& c) { CHECK(c.default_session_autologin == true); }},
      {"default-authorized-keys = %h/.ssh/x2go", [](auto& c) { CHECK(c.default_authorized_keys == "%h/.ssh/x2go"); }},
      {"default-sshproxy-authorized-keys = /k/%u", [](auto& c) { CHECK(c.default_sshproxy_authorized_keys == "/k/%u"); }},
      {"default-agent-query-mode = SSH", [](auto& c) { CHECK(c.default_agent_query_mode == "SSH"); }},
      {"default-agent-hostkey-policy = AutoAddPolicy", [](auto& c) { CHECK(c.default_agent_hostkey_policy == "AutoAddPolicy"); }},
      {"default-portscan-x2goservers = false", [](auto& c) { CHECK(c.default_portscan_x2goservers == false); }},
      {"default-use-load-checker = on", [](auto& c) { CHECK(c.default_use_load_checker == true); }},
      {"load-checker-intervals = 60", [](auto& c) { CHECK(c.load_checker_intervals == 60); }},
      {"load-checker-intervals: 61", [](auto& c) { CHECK(c.load_checker_intervals == 61); }},
      {"pre_auth_scripts = ['a', \"b\"]", [](auto& c) { CHECK(c.pre_auth_scripts == std::vector<std::string>{"a", "b"}); }},
      {"post_auth_scripts = a, b,", [](auto& c) { CHECK(c.post_auth_scripts == std::vector<std::string>{"a", "b"}); }},
      {"select_session_scripts = one", [](auto& c) { CHECK(c.select_session_scripts == std::vector<std::string>{"one"}); }},
      {"pre_auth_scripts =", [](auto& c) { CHECK(c.pre_auth_scripts.empty()); }},
      {"pre_auth_scripts = []", [](auto& c) { CHECK(c.pre_auth_scripts.empty()); }},
  };
  TempDir dir;
  for (const Row& row : rows) {
    CAPTURE(row.line);
    Loaded loaded = Load(dir, std::string("[global]\n") + row.line + "\n");
    REQUIRE_MESSAGE(loaded.config.ok(), loaded.config.status().message());
    row.check(loaded.config.value());
  }
}

TEST_CASE("backend sections and [authmech_https_get] are typed") {
  TempDir dir;
  Loaded loaded = Load(dir,
                       "[broker_inifile]\n"
                       "enable = false\n"
                       "session-profiles = /srv/profiles.conf\n"
                       "auth-mech = https_get\n"
                       "user-db = libnss\n"
                       "group-db = libnss\n"
                       "use-load-checker = false\n"
                       "agent-query-mode = LOCAL\n"
                       "agent-hostkey-policy = WarningPolicy\n"
                       "[broker_yaml]\n"
                       "enable = true\n"
                       "session-profiles = /srv/profiles.yaml\n"
                       "[broker_zeroconf]\n"
                       "enable = yes\n"
                       "desktop-shell = mate\n"
                       "load-checker = true\n"
                       "[broker_ldap]\n"
                       "uri = ldaps://ldap.example.org\n"
                       "starttls = yes\n"
                       "[authmech_https_get]\n"
                       "host = auth.example.org\n"
                       "path = /check\n"
                       "port = 8443\n");
  REQUIRE_MESSAGE(loaded.config.ok(), loaded.config.status().message());
  CHECK(loaded.warnings.empty());
  const core::BrokerConfig& c = loaded.config.value();
  const core::BackendSection& inifile = c.backends.at("inifile");
  CHECK(inifile.enable == false);
  CHECK(inifile.session_profiles == "/srv/profiles.conf");
  CHECK(inifile.auth_mech == "https_get");
  CHECK(inifile.use_load_checker == false);
  CHECK(inifile.agent_query_mode == "LOCAL");
  CHECK(inifile.agent_hostkey_policy == "WarningPolicy");
  CHECK(c.backends.at("yaml").enable == true);
  CHECK(c.backends.at("yaml").session_profiles == "/srv/profiles.yaml");
  CHECK(c.backends.at("zeroconf").enable == true);
  CHECK(c.backends.at("zeroconf").desktop_shell == "mate");
  CHECK(c.backends.at("zeroconf").extra.at("load-checker") == "true");
  CHECK(c.backends.at("ldap").extra.at("uri") == "ldaps://ldap.example.org");
  CHECK(c.backends.at("ldap").extra.at("starttls") == "yes");
  CHECK(c.https_get_host == std::optional<std::string>("auth.example.org"));
  CHECK(c.https_get_path == std::optional<std::string>("/check"));
  CHECK(c.https_get_port == std::optional<std::string>("8443"));
}

TEST_CASE("[DEFAULT] keys apply to every section that knows them; own keys win") {
  TempDir dir;
  Loaded loaded = Load(dir,
                       "[DEFAULT]\n"
                       "enable = true\n"
                       "auth-mech = none\n"
                       "require-password = false\n"
                       "[global]\n"
                       "[broker_zeroconf]\n"
                       "enable = false\n");
  REQUIRE_MESSAGE(loaded.config.ok(), loaded.config.status().message());
  CHECK(loaded.warnings.empty());
  const core::BrokerConfig& c = loaded.config.value();
  CHECK(c.require_password == false);
  CHECK(c.backends.at("inifile").enable == true);
  CHECK(c.backends.at("yaml").enable == true);  // not written in the file, still inherits
  CHECK(c.backends.at("base").enable == true);
  CHECK(c.backends.at("zeroconf").enable == false);
  for (const auto& [name, backend] : c.backends) {
    CAPTURE(name);
    if (name == "base") continue;  // knows only `enable`
    CHECK(backend.auth_mech == "none");  // beats zeroconf's and ldap's built-in values
  }
}

TEST_CASE("X2GOBROKER_SESSIONPROFILES overrides [broker_inifile] session-profiles only") {
  TempDir dir;
  const std::string text =
      "[broker_inifile]\nsession-profiles = /from/config.conf\n"
      "[broker_yaml]\nsession-profiles = /from/config.yaml\n";
  Loaded plain = Load(dir, text);
  REQUIRE(plain.config.ok());
  CHECK(plain.config->backends.at("inifile").session_profiles == "/from/config.conf");

  core::BrokerEnvironment env;
  env.session_profiles = "/from/env.conf";
  Loaded overridden = Load(dir, text, env);
  REQUIRE(overridden.config.ok());
  CHECK(overridden.config->backends.at("inifile").session_profiles == "/from/env.conf");
  CHECK(overridden.config->backends.at("yaml").session_profiles == "/from/config.yaml");
  CHECK(overridden.config->env.session_profiles == std::optional<std::string>("/from/env.conf"));

  // The override also rescues an empty setting that would otherwise be an error.
  Loaded rescued = Load(dir, "[broker_inifile]\nsession-profiles =\n", env);
  CHECK(rescued.config.ok());
}

TEST_CASE("errors name file:line and the key") {
  struct Row {
    const char* text;
    int line;
    const char* key;
    const char* contains;
  };
  const Row rows[] = {
      {"[global]\nrequire-password = maybe\n", 2, "require-password", "invalid boolean 'maybe'"},
      {"[global]\nverify-ip =\n", 2, "verify-ip", "invalid boolean ''"},
      {"[global]\nauth-timeout = 10s\n", 2, "auth-timeout", "invalid integer '10s'"},
      {"[global]\nload-checker-intervals = 1__0\n", 2, "load-checker-intervals", "invalid integer"},
      {"[global]\n\npre_auth_scripts = [a, b]\n", 3, "pre_auth_scripts", "malformed list"},
      {"[global]\npost_auth_scripts = ['a', __import__('os')]\n", 2, "post_auth_scripts", "malformed list"},
      {"[global]\nverify-ip = true\nverify-ip = false\n", 3, "verify-ip", "duplicate key"},
      {"[global]\nrequire-password = false\n  require-cookie = true\n", 2, "require-password", "indented line"},
      {"[global]\nauth-timeout = -1\n", 2, "auth-timeout", "must not be negative"},
      {"[global]\nload-checker-intervals = 0\n", 2, "load-checker-intervals", "at least 1"},
      {"[global]\nmy-uccs-url-base =\n", 2, "my-uccs-url-base", "must not be empty"},
      {"[DEFAULT]\nenable = perhaps\n", 2, "enable", "invalid boolean 'perhaps'"},
      {"[broker_ldap]\n# comment\nstarttls = sometimes\n", 3, "starttls", "invalid boolean"},
      {"[broker_zeroconf]\ndesktop-shell = KDE\n  GNOME\n", 2, "desktop-shell", "indented line"},
      {"[broker_inifile]\nsession-profiles =\n", 2, "session-profiles", "must name"},
      {"[broker_yaml]\nenable = 1\nsession-profiles =\n", 3, "session-profiles", "must name"},
  };
  TempDir dir;
  for (const Row& row : rows) {
    CAPTURE(row.text);
    Loaded loaded = Load(dir, row.text);
    REQUIRE_FALSE(loaded.config.ok());
    CHECK(loaded.config.status().code() == core::StatusCode::kInvalidArgument);
    const std::string& message = loaded.config.status().message();
    CHECK_MESSAGE(message.rfind(loaded.path + ":" + std::to_string(row.line) + ": ", 0) == 0, message);
    CHECK_MESSAGE(message.find(row.contains) != std::string::npos, message);
    CHECK_MESSAGE(message.find("key '" + std::string(row.key) + "'") != std::string::npos, message);
  }
}

TEST_CASE("syntax errors and duplicate sections name file:line") {
  struct Row {
    const char* text;
    int line;
  };
  const Row rows[] = {
      {"[global]\nthis line has no separator\n", 2},
      {"require-password = true\n", 1},
      {"[global]\n[broker_inifile]\n[global]\n", 3},
      {"[global\n", 1},
  };
  TempDir dir;
  for (const Row& row : rows) {
    CAPTURE(row.text);
    Loaded loaded = Load(dir, row.text);
    REQUIRE_FALSE(loaded.config.ok());
    CHECK(loaded.config.status().code() == core::StatusCode::kInvalidArgument);
    CHECK(loaded.config.status().message().rfind(loaded.path + ":" + std::to_string(row.line) + ": ", 0) == 0);
  }
}

TEST_CASE("a missing configuration file is an error naming the file") {
  TempDir dir;
  core::BrokerEnvironment env;
  env.config_file = dir.path() + "/nonexistent.conf";
  std::vector<std::string> warnings;
  core::Result<core::BrokerConfig> config = LoadBrokerConfig(env, &warnings);
  REQUIRE_FALSE(config.ok());
  CHECK(config.status().code() == core::StatusCode::kUnavailable);
  CHECK(config.status().message().find(env.config_file) == 0);
}

TEST_CASE("unknown keys and sections are warnings with file:line") {
  TempDir dir;
  Loaded loaded = Load(dir,
                       "[DEFAULT]\n"
                       "zzz = 1\n"
                       "enable = true\n"
                       "[global]\n"
                       "require-passwort = false\n"
                       "[broker_inifile]\n"
                       "desktop-shell = KDE\n"
                       "[broker_nosuch]\n"
                       "enable = true\n"
                       "[authmech_pam]\n");
  REQUIRE(loaded.config.ok());
  const std::string& p = loaded.path;
  const std::vector<std::string> expected = {
      p + ":8: unknown section [broker_nosuch], ignored",
      p + ":2: unknown key 'zzz' in [DEFAULT], ignored",
      p + ":5: unknown key 'require-passwort' in [global], ignored",
      p + ":7: unknown key 'desktop-shell' in [broker_inifile], ignored",
  };
  CHECK(loaded.warnings == expected);
  CHECK(loaded.config->require_password == true);
}

TEST_CASE("optional scripts are reported as unsupported and ignored") {
  TempDir dir;
  Loaded loaded = Load(dir,
                       "[global]\n"
                       "pre_auth_scripts = check_ldap\n"
                       "post_auth_scripts =\n"
                       "select_session_scripts = a,b\n");
  REQUIRE(loaded.config.ok());
  REQUIRE(loaded.warnings.size() == 2);
  CHECK(loaded.warnings[0].rfind(loaded.path + ":2: ", 0) == 0);
  CHECK(loaded.warnings[0].find("not supported") != std::string::npos);
  CHECK(loaded.warnings[0].find("(key 'pre_auth_scripts')") != std::string::npos);
  CHECK(loaded.warnings[1].rfind(loaded.path + ":4: ", 0) == 0);
  CHECK(loaded.warnings[1].find("a, b") != std::string::npos);
}

TEST_CASE("an unknown host key policy falls back with a warning") {
  TempDir dir;
  SUBCASE("global: RejectPolicy (names are case-sensitive)") {
    Loaded loaded = Load(dir, "[global]\ndefault-agent-hostkey-policy = rejectpolicy\n");
    REQUIRE(loaded.config.ok());
    CHECK(loaded.config->default_agent_hostkey_policy == "RejectPolicy");
    REQUIRE(loaded.warnings.size() == 1);
    CHECK(loaded.warnings[0].rfind(loaded.path + ":2: ", 0) == 0);
    CHECK(loaded.warnings[0].find("(key 'default-agent-hostkey-policy')") != std::string::npos);
  }
  SUBCASE("backend: the global policy") {
    Loaded loaded = Load(dir,
                         "[global]\ndefault-agent-hostkey-policy = WarningPolicy\n"
                         "[broker_inifile]\nagent-hostkey-policy = Trust\n");
    REQUIRE(loaded.config.ok());
    CHECK(loaded.config->default_agent_hostkey_policy == "WarningPolicy");
    CHECK(loaded.config->backends.at("inifile").agent_hostkey_policy.empty());
    REQUIRE(loaded.warnings.size() == 1);
    CHECK(loaded.warnings[0].rfind(loaded.path + ":4: ", 0) == 0);
  }
}

TEST_CASE("questionable but usable values are warnings") {
  TempDir dir;
  Loaded loaded = Load(dir,
                       "[global]\n"
                       "check-credentials = false\n"
                       "default-agent-query-mode = ssh2\n"
                       "[broker_inifile]\n"
                       "agent-query-mode = local\n");
  REQUIRE(loaded.config.ok());
  REQUIRE(loaded.warnings.size() == 2);
  CHECK(loaded.warnings[0].find(":2: deprecated") != std::string::npos);
  CHECK(loaded.warnings[1].find(":3: unknown agent query mode 'ssh2'") != std::string::npos);
}

TEST_CASE("warnings found before an error are still reported") {
  TempDir dir;
  std::vector<std::string> warnings;
  core::BrokerEnvironment env;
  env.config_file = dir.Write("x2gobroker.conf", "[global]\nunknown = 1\nverify-ip = maybe\n");
  core::Result<core::BrokerConfig> config = LoadBrokerConfig(env, &warnings);
  CHECK_FALSE(config.ok());
  CHECK(warnings.size() == 1);
}

TEST_CASE("the sample config/x2gobroker.conf loads cleanly and lists every key") {
  const std::string sample = ReadText(testing::SourceRoot() + "/config/x2gobroker.conf");
  REQUIRE_FALSE(sample.empty());
  TempDir dir;
  SUBCASE("as shipped (everything commented out)") {
    Loaded loaded = Load(dir, sample);
    REQUIRE_MESSAGE(loaded.config.ok(), loaded.config.status().message());
    CHECK(loaded.warnings.empty());
    CheckReferenceDefaults(loaded.config.value());
  }
  SUBCASE("with every `#key = value` line uncommented: all keys known, values = defaults") {
    std::string uncommented = std::regex_replace(sample, std::regex("(^|\n)#([a-z0-9_-]+ ?=)"), "$1$2");
    REQUIRE(uncommented != sample);
    Loaded loaded = Load(dir, uncommented);
    REQUIRE_MESSAGE(loaded.config.ok(), loaded.config.status().message());
    CHECK(loaded.warnings.empty());
    core::Result<core::IniDocument> doc = core::ParseIni(uncommented, "sample");
    REQUIRE(doc.ok());
    for (const std::string& section : KnownSections()) {
      for (const std::string& key : KnownKeys(section)) {
        CAPTURE(section);
        CAPTURE(key);
        const core::IniSection* s = doc->FindSection(section);
        CHECK((s != nullptr && s->Find(key) != nullptr));
      }
    }
    core::BrokerConfig config = loaded.config.value();
    // The https_get target has no default; the sample shows an example.
    CHECK(config.https_get_host == std::optional<std::string>("my.webserver.com"));
    config.https_get_host.reset();
    config.https_get_path.reset();
    config.https_get_port.reset();
    CheckReferenceDefaults(config);
  }
}

}  // TEST_SUITE

}  // namespace
}  // namespace x2gobroker::config
