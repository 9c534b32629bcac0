// SPDX-License-Identifier: AGPL-3.0-or-later
// The server-side agent's own settings: compile-time defaults, optionally overridden by
// /etc/x2go/broker-agent.conf (root's file, read before any privilege drop). Format: lines of
// `key=value` (spaces around both allowed), blank lines and `#` comments. Known key:
//   min-uid=<n>   users with a uid below n are refused (default kDefaultMinUid); uid 0 is
//                 refused whatever this says.
// An unknown key or a bad value makes the whole file invalid: the agent then refuses to work
// (fail closed) rather than guess. Pure parsing plus one file read; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <sys/types.h>

#include "core/status.h"

namespace x2gobroker::agent_server {

#ifndef BROKER_AGENT_MIN_UID
#define BROKER_AGENT_MIN_UID 1000
#endif
inline constexpr uid_t kDefaultMinUid = BROKER_AGENT_MIN_UID;
inline constexpr const char* kAgentConfigPath = "/etc/x2go/broker-agent.conf";
// The broker's login on the X2Go Servers (X2GOBROKER_AGENT_USER): the only non-root real uid
// allowed to run the setuid agent.
inline constexpr const char* kBrokerAgentAccount = "x2gobroker";

struct AgentConfig {
  uid_t min_uid = kDefaultMinUid;
};

// InvalidArgument ("line N: ...") for an unknown key or a bad value (not 1..2147483647).
core::Result<AgentConfig> ParseAgentConfig(std::string_view text);

// Defaults if `path` does not exist; Unavailable if it exists but cannot be read; else
// ParseAgentConfig's result.
core::Result<AgentConfig> LoadAgentConfig(const std::string& path);

}  // namespace x2gobroker::agent_server
