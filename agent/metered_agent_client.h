// SPDX-License-Identifier: AGPL-3.0-or-later
// MeteredAgentClient: a core::AgentClient decorator that counts every call of the client it
// wraps in the broker metrics (core/broker_metrics.h): calls by task and result (ok, error,
// timeout = DeadlineExceeded) and their duration. Wrapping an SshAgentClient, it also
// publishes the pool's numbers after each call: connections established and reused (the
// increase since the last publication, so each is counted once however calls interleave) and
// the idle connections (a gauge, current as of the last call; a client that goes away with its
// snapshot takes its idle count with it). Thread-safe if the wrapped client is.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "agent/ssh_agent_client.h"
#include "core/agent_client.h"

namespace x2gobroker::agent {

class MeteredAgentClient final : public core::AgentClient {
 public:
  // REQUIRES: inner != nullptr. `ssh` is the same client when it is an SshAgentClient, else null.
  MeteredAgentClient(core::AgentClientPtr inner, std::shared_ptr<const SshAgentClient> ssh);
  ~MeteredAgentClient() override;

  // core::AgentClient
  core::Result<core::AgentReply> Run(const core::AgentTarget& target, core::AgentTask task, const std::string& user,
                                     const std::vector<std::string>& args) const override;

 private:
  void PublishPool() const;

  const core::AgentClientPtr inner_;
  const std::shared_ptr<const SshAgentClient> ssh_;
  mutable std::atomic<uint64_t> published_established_{0};
  mutable std::atomic<uint64_t> published_reused_{0};
  mutable std::atomic<int64_t> published_idle_{0};
};

// Advances *published to `now` if it is behind and returns by how much (0 if not behind).
uint64_t AdvanceTo(std::atomic<uint64_t>* published, uint64_t now);

}  // namespace x2gobroker::agent
