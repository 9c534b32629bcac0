// SPDX-License-Identifier: AGPL-3.0-or-later
// SshAgentClient: query mode SSH (PROTOCOL.md §9.1). Runs x2gobroker-agent on an X2Go Server
// over SSH (libssh2) as the broker's login, with the command `<agent> 'user' 'task' 'args'...`
// (§9.5), host keys checked against known_hosts under the target's policy, time-outs on
// connect/handshake/auth and on each command, and connections reused through a pool.
// Thread-safe: one client (and its pool) serves every worker thread of the process.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "agent/connection_pool.h"
#include "agent/ssh_connection.h"
#include "core/agent_client.h"

namespace x2gobroker::agent {

struct SshAgentClientOptions {
  std::string agent_command = "/usr/lib/x2go/x2gobroker-agent";
  std::string login_user = "x2gobroker";
  // Holds id_ed25519, id_ecdsa and/or id_rsa (unencrypted); the broker account's ~/.ssh.
  std::string key_directory = "/var/lib/x2gobroker/.ssh";
  // Checked, and where AutoAddPolicy pins new keys. Empty: only the system file is checked.
  std::string known_hosts_file = "/var/lib/x2gobroker/.ssh/known_hosts";
  // Checked too, if present (never written).
  std::string system_known_hosts_file = "/etc/ssh/ssh_known_hosts";
  int connect_timeout_ms = 5000;   // TCP connect + SSH handshake + authentication
  int command_timeout_ms = 20000;  // channel, exec, reading the output to EOF
  int idle_timeout_ms = 60000;     // an idle pooled connection is closed after this
  size_t max_idle_per_host = 4;
};

struct SshAgentStats {
  uint64_t established = 0;  // new SSH connections (authenticated)
  uint64_t reused = 0;       // calls served on a pooled connection
  uint64_t idle = 0;         // connections idle in the pool right now
};

class SshAgentClient final : public core::AgentClient {
 public:
  // Unavailable if key_directory holds no readable id_ed25519, id_ecdsa or id_rsa, or libssh2
  // cannot start; InvalidArgument for an unusable option (time-outs must be positive).
  static core::Result<std::shared_ptr<SshAgentClient>> Create(SshAgentClientOptions options);

  // core::AgentClient
  // Also: a reused connection found dead when opening the channel (the command was not sent) is
  // discarded and the call retried once on a new connection. The agent's stderr is logged.
  core::Result<core::AgentReply> Run(const core::AgentTarget& target, core::AgentTask task, const std::string& user,
                                     const std::vector<std::string>& args) const override;

  SshAgentStats stats() const { return {established_.load(), reused_.load(), pool_.idle_count()}; }
  // The private key files found by Create, in the order they are offered.
  const std::vector<std::string>& private_keys() const { return settings_.private_keys; }

 private:
  SshAgentClient(SshAgentClientOptions options, SshSettings settings);

  const SshAgentClientOptions options_;
  const SshSettings settings_;
  mutable ConnectionPool pool_;
  mutable std::atomic<uint64_t> established_{0};
  mutable std::atomic<uint64_t> reused_{0};
};

}  // namespace x2gobroker::agent
