// SPDX-License-Identifier: AGPL-3.0-or-later
// One agent call from a command-line tool (x2gobroker-agent-query, x2gobroker-testagent): the
// client for a query mode, a task named on the command line, and the tools' common exit codes.
// The broker itself does not use this file. Thread-safe (no state).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "agent/ssh_agent_client.h"
#include "core/agent_client.h"
#include "core/status.h"

namespace x2gobroker::agent {

// The tools' exit code for a call's status: 0 ok, 2 invalid argument, 3 unavailable
// (unreachable, refused, host key unknown or mismatching, login refused), 4 time-out, 1 other.
int AgentCallExitCode(const core::Status& status);

// Every task of PROTOCOL.md §9.3, in the order of the table.
const std::vector<core::AgentTask>& AllAgentTasks();

// False for ping, checkload and availabletasks: the agent ignores the user for them (§9.2).
bool AgentTaskNeedsUser(core::AgentTask task);

// A client for one query mode. `ssh` is set (and is `client`) in SSH mode, for its counters.
struct ToolAgentClient {
  std::shared_ptr<const core::AgentClient> client;
  std::shared_ptr<SshAgentClient> ssh;
};

// local: a LocalAgentClient running options.agent_command with options.command_timeout_ms;
// else SshAgentClient::Create(options). Errors as those factories return them.
core::Result<ToolAgentClient> MakeToolAgentClient(bool local, const SshAgentClientOptions& options);

// Runs the task called `task_name` (core::AgentTaskFromName) through `client`. InvalidArgument
// naming the task if it is unknown (nothing is run); otherwise whatever client.Run returns.
core::Result<core::AgentReply> RunNamedAgentTask(const core::AgentClient& client, const core::AgentTarget& target,
                                                 const std::string& task_name, const std::string& user,
                                                 const std::vector<std::string>& args);

}  // namespace x2gobroker::agent
