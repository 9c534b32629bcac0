// SPDX-License-Identifier: AGPL-3.0-or-later
// SshConnection: one authenticated SSH connection to an X2Go Server's x2gobroker account, able to
// run several exec requests one after another (connection reuse, §13 row 23). Everything runs in
// libssh2's non-blocking mode under explicit deadlines, so no step can hang past its time-out.
// One connection is used by one thread at a time (the pool hands it out exclusively).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "agent/deadline.h"
#include "agent/ssh_handles.h"
#include "core/agent_client.h"
#include "core/status.h"
#include "core/unique_fd.h"

namespace x2gobroker::agent {

enum class HostKeyPolicy { kReject, kAutoAdd, kWarning };

// RejectPolicy for anything but the two other names: an unknown or misspelt policy must not
// weaken the check.
HostKeyPolicy ParseHostKeyPolicy(const std::string& name);

// What all connections of one client share. Immutable after construction.
struct SshSettings {
  std::string login_user;
  std::vector<std::string> private_keys;       // tried in this order
  std::vector<std::string> known_hosts_files;  // checked (system file first)
  std::string pin_file;                        // where AutoAddPolicy appends; may be empty
};

struct ExecOutput {
  std::string out;
  std::string err;
  int exit_status = 0;
};

class SshConnection;
using SshConnectionPtr = std::unique_ptr<SshConnection>;

class SshConnection final {
 public:
  // TCP connect, SSH handshake, host-key check under `target.host_key_policy`, public-key
  // authentication, all before `deadline`. Unavailable when unreachable, refused, the host key is
  // unknown (RejectPolicy) or mismatching (any policy), or no key is accepted; DeadlineExceeded
  // on time-out. *trusted tells whether the host key was found in (or pinned to) known_hosts.
  static core::Result<SshConnectionPtr> Open(const core::AgentTarget& target, const SshSettings& settings,
                                             const Deadline& deadline);

  ~SshConnection();
  SshConnection(const SshConnection&) = delete;
  SshConnection& operator=(const SshConnection&) = delete;

  // Runs `command` as an exec request and reads stdout and stderr to EOF (each bounded by
  // kMaxAgentOutputBytes) before `deadline`. On failure the connection is no longer healthy.
  // *channel_failed is set when opening the channel failed: the command was not sent, so a
  // caller may retry it elsewhere (a dead reused connection shows up exactly like this).
  core::Result<ExecOutput> Exec(const std::string& command, const Deadline& deadline, bool* channel_failed);

  // False after any failure: the connection must not go back to the pool.
  bool healthy() const { return healthy_; }

 private:
  SshConnection() = default;
  // Waits for the socket in the direction libssh2 is blocked on. DeadlineExceeded at the deadline.
  core::Status Wait(const Deadline& deadline);
  core::Status Handshake(const Deadline& deadline);
  core::Status CheckHostKey(const core::AgentTarget& target, const SshSettings& settings);
  core::Status Authenticate(const SshSettings& settings, const Deadline& deadline);
  std::string LastError();

  core::UniqueFd fd_;
  SshSessionPtr session_;  // declared after fd_: freed before the socket closes
  std::string peer_;       // "address:port" for messages
  bool healthy_ = true;
};

}  // namespace x2gobroker::agent
