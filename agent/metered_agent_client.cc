// SPDX-License-Identifier: AGPL-3.0-or-later
#include "agent/metered_agent_client.h"

#include <chrono>

#include "core/broker_metrics.h"

namespace x2gobroker::agent {

uint64_t AdvanceTo(std::atomic<uint64_t>* published, uint64_t now) {
  uint64_t seen = published->load();
  while (seen < now) {
    if (published->compare_exchange_weak(seen, now)) return now - seen;
  }
  return 0;
}

MeteredAgentClient::MeteredAgentClient(core::AgentClientPtr inner, std::shared_ptr<const SshAgentClient> ssh)
    : inner_(std::move(inner)), ssh_(std::move(ssh)) {}

MeteredAgentClient::~MeteredAgentClient() {
  // The pool (and its idle connections) goes with the wrapped client.
  if (ssh_) core::RecordSshPool(0, 0, -published_idle_.exchange(0));
}

void MeteredAgentClient::PublishPool() const {
  if (!ssh_) return;
  SshAgentStats stats = ssh_->stats();
  uint64_t established = AdvanceTo(&published_established_, stats.established);
  uint64_t reused = AdvanceTo(&published_reused_, stats.reused);
  int64_t idle = static_cast<int64_t>(stats.idle);
  int64_t before = published_idle_.exchange(idle);
  core::RecordSshPool(established, reused, idle - before);
}

core::Result<core::AgentReply> MeteredAgentClient::Run(const core::AgentTarget& target, core::AgentTask task,
                                                       const std::string& user,
                                                       const std::vector<std::string>& args) const {
  auto start = std::chrono::steady_clock::now();
  core::Result<core::AgentReply> reply = inner_->Run(target, task, user, args);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  core::AgentCallResult result = core::AgentCallResult::kOk;
  if (!reply.ok()) {
    result = reply.status().code() == core::StatusCode::kDeadlineExceeded ? core::AgentCallResult::kTimeout
                                                                          : core::AgentCallResult::kError;
  }
  core::RecordAgentCall(task, result, seconds);
  PublishPool();
  return reply;
}

}  // namespace x2gobroker::agent
