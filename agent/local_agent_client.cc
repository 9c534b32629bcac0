// SPDX-License-Identifier: AGPL-3.0-or-later
#include "agent/local_agent_client.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "agent/agent_log.h"
#include "core/agent_command.h"
#include "core/agent_output.h"
#include "core/log.h"
#include "core/subprocess.h"

namespace x2gobroker::agent {

core::Result<std::shared_ptr<LocalAgentClient>> LocalAgentClient::Create(LocalAgentClientOptions options) {
  if (options.command_timeout_ms <= 0) return core::InvalidArgument("agent time-out must be positive");
  if (options.agent_command.empty() || options.agent_command[0] != '/') {
    return core::InvalidArgument("agent command must be an absolute path");
  }
  if (::access(options.agent_command.c_str(), X_OK) != 0) {
    return core::Unavailable("cannot execute " + options.agent_command + ": " + std::strerror(errno) +
                             " (LOCAL mode needs group x2gobroker)");
  }
  return std::shared_ptr<LocalAgentClient>(new LocalAgentClient(std::move(options)));
}

core::Result<core::AgentReply> LocalAgentClient::Run(const core::AgentTarget& target, core::AgentTask task,
                                                     const std::string& user, const std::vector<std::string>& args) const {
  auto words = core::AgentArguments(task, user, args);
  if (!words.ok()) return words.status();
  const std::string where = "localhost" + (target.hostname.empty() ? std::string() : " (" + target.hostname + ")");

  core::SubprocessSpec spec;
  spec.argv.push_back(options_.agent_command);
  spec.argv.insert(spec.argv.end(), words->begin(), words->end());
  // The agent cleans its environment itself, but nothing of the broker's (tokens, config
  // paths) needs to reach a setuid program.
  spec.env = {"PATH=/usr/bin:/bin"};
  spec.timeout = std::chrono::milliseconds(options_.command_timeout_ms);
  spec.max_output_bytes = core::kMaxAgentOutputBytes;
  core::Result<core::SubprocessOutput> ran = core::RunSubprocess(spec);
  if (!ran.ok()) {
    return core::Status(ran.status().code(), std::string("local agent ") + core::AgentTaskName(task) + ": " +
                                                 ran.status().message());
  }
  LogAgentStderr(task, where, ran->err);
  const int status = ran->wait_status;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    core::LogDebug(std::string("local agent ") + core::AgentTaskName(task) + " exit status " + std::to_string(status));
  }
  auto reply = core::ParseAgentOutput(ran->out);
  if (!reply.ok()) {
    return core::Status(reply.status().code(), std::string("local agent ") + core::AgentTaskName(task) + ": " +
                                                   reply.status().message());
  }
  return reply;
}

}  // namespace x2gobroker::agent
