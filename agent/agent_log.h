// SPDX-License-Identifier: AGPL-3.0-or-later
// How both agent clients log what the agent wrote to stderr: one line, truncated and printable
// (the text comes from a remote host), since stderr is logged and never returned (§9.5).
#pragma once

#include <string>
#include <string_view>

#include "core/agent_client.h"

namespace x2gobroker::agent {

// Logs `stderr_text` (if not empty) as a warning naming the task and where it ran.
void LogAgentStderr(core::AgentTask task, const std::string& where, std::string_view stderr_text);

}  // namespace x2gobroker::agent
