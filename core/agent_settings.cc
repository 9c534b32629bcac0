// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/agent_settings.h"

#include "core/string_util.h"

namespace x2gobroker::core {
namespace {

bool IsHostKeyPolicy(const std::string& policy) {
  return policy == "RejectPolicy" || policy == "AutoAddPolicy" || policy == "WarningPolicy";
}

// `1`/`true` in any case is on, anything else off (§2.5, same rule as the other broker-* switches).
bool IsTrueWord(const std::string& value) {
  std::string lower = ToLower(Trim(value));
  return lower == "1" || lower == "true";
}

AgentQueryMode ModeOf(const std::string& text) {
  std::string upper = ToUpper(text);
  if (upper == "SSH") return AgentQueryMode::kSsh;
  if (upper == "LOCAL") return AgentQueryMode::kLocal;
  return AgentQueryMode::kNone;
}

std::string HostKeyPolicyFor(const SessionProfile& profile, const BrokerConfig& config, const BackendSection* section) {
  // An invalid name falls back to the global value; the validator already replaced an invalid
  // global value with RejectPolicy.
  const std::string& global = config.default_agent_hostkey_policy;
  std::string policy = global;
  if (section != nullptr && !section->agent_hostkey_policy.empty()) policy = section->agent_hostkey_policy;
  if (const std::string* p = profile.BrokerOption("agent-hostkey-policy")) policy = *p;
  if (IsHostKeyPolicy(policy)) return policy;
  return IsHostKeyPolicy(global) ? global : "RejectPolicy";
}

// §10.3: at least two hosts, a profile switch that is not off, and one of the three switches on.
bool UsesLoadChecker(const SessionProfile& profile, const BrokerConfig& config, const BackendSection* section) {
  if (profile.hosts.size() < 2) return false;
  const std::string* profile_switch = profile.BrokerOption("use-load-checker");
  if (profile_switch != nullptr && !IsTrueWord(*profile_switch)) return false;
  return config.default_use_load_checker || (section != nullptr && section->use_load_checker) ||
         profile_switch != nullptr;
}

}  // namespace

const char* QueryModeName(AgentQueryMode mode) {
  switch (mode) {
    case AgentQueryMode::kSsh: return "SSH";
    case AgentQueryMode::kLocal: return "LOCAL";
    case AgentQueryMode::kNone: break;
  }
  return "NONE";
}

ProfileAgentSettings AgentSettingsFor(const SessionProfile& profile, const BrokerConfig& config,
                                      const std::string& backend) {
  const BackendSection* section = config.Backend(backend);
  ProfileAgentSettings s;
  const std::string* mode = profile.BrokerOption("agent-query-mode");
  s.mode = ModeOf(mode != nullptr ? *mode : config.AgentQueryModeFor(backend));
  s.host_key_policy = HostKeyPolicyFor(profile, config, section);
  const std::string* keys = profile.BrokerOption("authorized-keys");
  s.authorized_keys = keys != nullptr ? *keys : config.default_authorized_keys;
  const std::string* proxy_keys = profile.BrokerOption("sshproxy-authorized-keys");
  s.sshproxy_authorized_keys = proxy_keys != nullptr ? *proxy_keys : config.default_sshproxy_authorized_keys;
  s.use_load_checker = s.mode == AgentQueryMode::kSsh && UsesLoadChecker(profile, config, section);
  return s;
}

}  // namespace x2gobroker::core
