// SPDX-License-Identifier: AGPL-3.0-or-later
// The agent-related settings of one profile after the profile → backend → global precedence of
// PROTOCOL.md §2.5 and §10.3: query mode, host key policy, authorized_keys paths, whether the
// load checker is consulted. Pure functions of the configuration and the profile.
#pragma once

#include <string>

#include "core/broker_config.h"
#include "core/session_profile.h"

namespace x2gobroker::core {

enum class AgentQueryMode { kNone, kLocal, kSsh };

struct ProfileAgentSettings {
  AgentQueryMode mode = AgentQueryMode::kNone;
  std::string host_key_policy = "RejectPolicy";
  std::string authorized_keys;           // on the X2Go Server (§9.7 substitutions still to do)
  std::string sshproxy_authorized_keys;  // on the SSH proxy host
  bool use_load_checker = false;
};

ProfileAgentSettings AgentSettingsFor(const SessionProfile& profile, const BrokerConfig& config,
                                      const std::string& backend);

// "SSH", "LOCAL" or "NONE".
const char* QueryModeName(AgentQueryMode mode);

}  // namespace x2gobroker::core
