// SPDX-License-Identifier: AGPL-3.0-or-later
#include "config/broker_config_validator.h"

#include <unistd.h>

#include "core/agent_command.h"
#include "core/string_util.h"

namespace x2gobroker::config {
namespace {

bool IsHostKeyPolicy(const std::string& policy) {
  // Case-sensitive: these are Paramiko class names in the reference.
  return policy == "RejectPolicy" || policy == "AutoAddPolicy" || policy == "WarningPolicy";
}

bool IsAgentQueryMode(const std::string& mode) {
  std::string upper = core::ToUpper(mode);
  return upper == "NONE" || upper == "LOCAL" || upper == "SSH";
}

class Checker {
 public:
  Checker(const KeyLocations& locations, const std::string& source, std::vector<std::string>* warnings)
      : locations_(locations), source_(source), warnings_(warnings) {}

  // "file:line: text (key 'k')"; a value that was not written in the file (a default, or an
  // environment override) is reported against the file alone.
  std::string Message(const std::string& section, const std::string& key, const std::string& text) const {
    auto it = locations_.find({section, key});
    if (it != locations_.end()) return it->second + ": " + text + " (key '" + key + "')";
    return source_ + ": " + text + " (key '" + key + "' in [" + section + "])";
  }
  void Warn(const std::string& section, const std::string& key, const std::string& text) {
    warnings_->push_back(Message(section, key, text));
  }
  core::Status Error(const std::string& section, const std::string& key, const std::string& text) const {
    return core::InvalidArgument(Message(section, key, text));
  }

 private:
  const KeyLocations& locations_;
  const std::string& source_;
  std::vector<std::string>* warnings_;
};

void WarnAboutScripts(Checker& check, const std::string& key, const std::vector<std::string>& scripts) {
  // The reference names Python modules; ours runs executables given by their absolute path.
  std::vector<std::string> modules;
  for (const std::string& s : scripts) {
    if (s.empty() || s[0] != '/') {
      modules.push_back(s);
    } else if (access(s.c_str(), X_OK) != 0) {
      check.Warn("global", key, "optional script " + s + " is not an executable file (every run will fail)");
    }
  }
  if (modules.empty()) return;
  check.Warn("global", key,
             "optional scripts must be executables given by their absolute path; Python module names are not "
             "supported and are ignored: " + core::Join(modules, ", "));
}

}  // namespace

core::Status ValidateBrokerConfig(const KeyLocations& locations, core::BrokerConfig* config,
                                  std::vector<std::string>* warnings) {
  Checker check(locations, config->source, warnings);

  if (config->auth_timeout < 0) return check.Error("global", "auth-timeout", "must not be negative");
  // The load checker sleeps this long between cycles: 0 would make it spin.
  if (config->load_checker_intervals < 1) {
    return check.Error("global", "load-checker-intervals", "must be at least 1 (seconds)");
  }
  if (config->my_uccs_url_base.empty()) {
    return check.Error("global", "my-uccs-url-base", "must not be empty (UCCS answers are built from it)");
  }

  if (config->optional_scripts_on_failure != "deny" && config->optional_scripts_on_failure != "continue") {
    return check.Error("global", "optional-scripts-on-failure", "must be deny or continue");
  }
  struct PositiveSeconds {
    const char* key;
    int64_t value;
  };
  for (const PositiveSeconds& t : {PositiveSeconds{"agent-connect-timeout", config->agent_connect_timeout},
                                   PositiveSeconds{"agent-command-timeout", config->agent_command_timeout},
                                   PositiveSeconds{"agent-idle-timeout", config->agent_idle_timeout},
                                   PositiveSeconds{"suspend-wait-timeout", config->suspend_wait_timeout},
                                   PositiveSeconds{"autologin-key-lifetime", config->autologin_key_lifetime},
                                   PositiveSeconds{"optional-scripts-timeout", config->optional_scripts_timeout}}) {
    if (t.value < 1 || t.value > 86400) return check.Error("global", t.key, "must be between 1 and 86400 (seconds)");
  }
  // The agent interpolates these paths into shell commands on the X2Go Servers (§9.5, §9.7).
  for (const auto& [key, path] : {std::pair<const char*, const std::string&>{"default-authorized-keys",
                                                                              config->default_authorized_keys},
                                  {"default-sshproxy-authorized-keys", config->default_sshproxy_authorized_keys}}) {
    if (!core::IsValidAuthorizedKeysPath(path)) {
      return check.Error("global", key, "must consist of letters, digits and % / . _ - only");
    }
  }

  WarnAboutScripts(check, "pre_auth_scripts", config->pre_auth_scripts);
  WarnAboutScripts(check, "post_auth_scripts", config->post_auth_scripts);
  WarnAboutScripts(check, "select_session_scripts", config->select_session_scripts);

  if (!config->check_credentials) {
    check.Warn("global", "check-credentials",
               "deprecated; 'false' switches off require-password and require-cookie, say so there instead");
  }
  if (!IsHostKeyPolicy(config->default_agent_hostkey_policy)) {
    check.Warn("global", "default-agent-hostkey-policy",
               "unknown host key policy '" + config->default_agent_hostkey_policy +
                   "' (expected RejectPolicy, AutoAddPolicy or WarningPolicy), using RejectPolicy");
    config->default_agent_hostkey_policy = "RejectPolicy";
  }
  if (!config->default_agent_query_mode.empty() && !IsAgentQueryMode(config->default_agent_query_mode)) {
    check.Warn("global", "default-agent-query-mode",
               "unknown agent query mode '" + config->default_agent_query_mode +
                   "' (expected NONE, LOCAL or SSH): no broker agent will be used");
  }

  for (auto& [name, backend] : config->backends) {
    const std::string section = "broker_" + name;
    if (!backend.agent_hostkey_policy.empty() && !IsHostKeyPolicy(backend.agent_hostkey_policy)) {
      check.Warn(section, "agent-hostkey-policy",
                 "unknown host key policy '" + backend.agent_hostkey_policy +
                     "' (expected RejectPolicy, AutoAddPolicy or WarningPolicy), using the global policy");
      backend.agent_hostkey_policy.clear();
    }
    if (!backend.agent_query_mode.empty() && !IsAgentQueryMode(backend.agent_query_mode)) {
      check.Warn(section, "agent-query-mode",
                 "unknown agent query mode '" + backend.agent_query_mode +
                     "' (expected NONE, LOCAL or SSH): no broker agent will be used");
    }
    if (backend.enable && (name == "inifile" || name == "yaml") && backend.session_profiles.empty()) {
      return check.Error(section, "session-profiles", "must name the session profile file of an enabled backend");
    }
  }
  return core::Status::Ok();
}

}  // namespace x2gobroker::config
