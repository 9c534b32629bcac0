// SPDX-License-Identifier: AGPL-3.0-or-later
#include "agent/agent_call.h"

#include <optional>

#include "agent/local_agent_client.h"
#include "core/agent_command.h"
#include "core/log.h"

namespace x2gobroker::agent {

int AgentCallExitCode(const core::Status& status) {
  switch (status.code()) {
    case core::StatusCode::kOk: return 0;
    case core::StatusCode::kInvalidArgument: return 2;
    case core::StatusCode::kUnavailable: return 3;
    case core::StatusCode::kDeadlineExceeded: return 4;
    default: return 1;
  }
}

const std::vector<core::AgentTask>& AllAgentTasks() {
  static const std::vector<core::AgentTask> kTasks = {
      core::AgentTask::kPing,           core::AgentTask::kAvailableTasks,  core::AgentTask::kListSessions,
      core::AgentTask::kGetServers,     core::AgentTask::kFindBusyServers, core::AgentTask::kCheckLoad,
      core::AgentTask::kAddAuthKey,     core::AgentTask::kDelAuthKey,      core::AgentTask::kSuspendSession,
      core::AgentTask::kTerminateSession};
  return kTasks;
}

bool AgentTaskNeedsUser(core::AgentTask task) {
  return task != core::AgentTask::kPing && task != core::AgentTask::kCheckLoad &&
         task != core::AgentTask::kAvailableTasks;
}

core::Result<ToolAgentClient> MakeToolAgentClient(bool local, const SshAgentClientOptions& options) {
  ToolAgentClient made;
  if (local) {
    LocalAgentClientOptions local_options;
    local_options.agent_command = options.agent_command;
    local_options.command_timeout_ms = options.command_timeout_ms;
    auto created = LocalAgentClient::Create(local_options);
    if (!created.ok()) return created.status();
    made.client = std::move(created).value();
    return made;
  }
  auto created = SshAgentClient::Create(options);
  if (!created.ok()) return created.status();
  made.ssh = std::move(created).value();
  made.client = made.ssh;
  return made;
}

core::Result<core::AgentReply> RunNamedAgentTask(const core::AgentClient& client, const core::AgentTarget& target,
                                                 const std::string& task_name, const std::string& user,
                                                 const std::vector<std::string>& args) {
  std::optional<core::AgentTask> task = core::AgentTaskFromName(task_name);
  if (!task) return core::InvalidArgument("unknown task: " + core::Printable(task_name));
  return client.Run(target, *task, user, args);
}

}  // namespace x2gobroker::agent
