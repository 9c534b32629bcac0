// SPDX-License-Identifier: AGPL-3.0-or-later
// The seam for the X2Go Broker Agent (PROTOCOL.md §9): an AgentClient runs one agent task on
// one X2Go Server, locally (query mode LOCAL, argv exec) or over SSH (libssh2, agent/).
// Query mode NONE has no client at all. Implementations validate every argument (§9.5) before
// it reaches a command line and must be thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/status.h"

namespace x2gobroker::core {

// Where an agent runs: the host's name in the profile, the address and port to connect to.
struct AgentTarget {
  std::string hostname;
  std::string address;
  int port = 22;
  std::string host_key_policy;  // RejectPolicy, AutoAddPolicy or WarningPolicy
};

// The tasks of §9.3, a closed set.
enum class AgentTask {
  kPing,
  kAvailableTasks,
  kListSessions,
  kGetServers,
  kFindBusyServers,
  kCheckLoad,
  kAddAuthKey,
  kDelAuthKey,
  kSuspendSession,
  kTerminateSession,
};

struct AgentReply {
  std::vector<std::string> lines;  // the data lines after `OK`
};

class AgentClient {
 public:
  virtual ~AgentClient() = default;
  // Runs `task` for `user` with `args` on `target`. The reply's `OK` means "accepted" (§13
  // row 30). Unavailable when the host cannot be reached, DeadlineExceeded on a time-out,
  // InvalidArgument when an argument fails validation (nothing is sent then).
  virtual Result<AgentReply> Run(const AgentTarget& target, AgentTask task, const std::string& user,
                                 const std::vector<std::string>& args) const = 0;
};
using AgentClientPtr = std::shared_ptr<const AgentClient>;

}  // namespace x2gobroker::core
