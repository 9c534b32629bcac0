// SPDX-License-Identifier: AGPL-3.0-or-later
// LocalAgentClient: query mode LOCAL (PROTOCOL.md §9.1). Runs x2gobroker-agent on the broker host
// by posix_spawn with an argv from core::AgentArguments (no shell), stdin /dev/null, stdout and
// stderr on separate pipes (stderr is logged, never returned), environment PATH=/usr/bin:/bin
// only, a bounded output and a time-out after which the agent is killed (SIGKILL) and reaped.
// The agent is setuid root and mode 4750 root:x2gobroker: the process must be in that group.
// Thread-safe (no shared state; pipes are close-on-exec so concurrent spawns do not leak them).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/agent_client.h"

namespace x2gobroker::agent {

struct LocalAgentClientOptions {
  std::string agent_command = "/usr/lib/x2go/x2gobroker-agent";
  int command_timeout_ms = 20000;
};

class LocalAgentClient final : public core::AgentClient {
 public:
  // Unavailable if agent_command is not an executable file for this process; InvalidArgument for
  // a non-positive time-out.
  static core::Result<std::shared_ptr<LocalAgentClient>> Create(LocalAgentClientOptions options);

  // core::AgentClient (`target` only names the host in logs: the agent runs here).
  core::Result<core::AgentReply> Run(const core::AgentTarget& target, core::AgentTask task, const std::string& user,
                                     const std::vector<std::string>& args) const override;

 private:
  explicit LocalAgentClient(LocalAgentClientOptions options) : options_(std::move(options)) {}
  const LocalAgentClientOptions options_;
};

}  // namespace x2gobroker::agent
