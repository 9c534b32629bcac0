// SPDX-License-Identifier: AGPL-3.0-or-later
#include "loadchecker/poller.h"

#include <algorithm>
#include <thread>

#include "core/agent_command.h"
#include "core/log.h"

namespace x2gobroker::loadchecker {

core::LoadFactor CheckLoad(const core::AgentClient& client, const core::AgentTarget& target) {
  core::Result<core::AgentReply> reply =
      client.Run(target, core::AgentTask::kCheckLoad, core::kAgentPlaceholderUser, {});
  if (!reply.ok()) {
    core::LogWarning("checkload on " + core::Printable(target.hostname) + " (" + core::Printable(target.address) + ":" +
                     std::to_string(target.port) + ") failed: " + reply.status().message());
    return core::LoadFactor{std::nullopt, core::kHostUnreachable};
  }
  core::LoadFactor factor = core::LoadFactorFromCheckLoad(reply->lines);
  if (!factor.value) {
    core::LogWarning("checkload on " + core::Printable(target.hostname) + ": " + factor.error);
  } else {
    core::LogDebug("checkload on " + core::Printable(target.hostname) + ": " + std::to_string(*factor.value));
  }
  return factor;
}

std::vector<std::optional<core::LoadFactor>> PollTargets(const std::vector<core::AgentTarget>& targets,
                                                         const core::AgentClient* client, size_t parallel,
                                                         const std::atomic<bool>& stop) {
  std::vector<std::optional<core::LoadFactor>> results(targets.size());
  if (client == nullptr) {
    for (auto& r : results) r = core::LoadFactor{std::nullopt, core::kHostUnreachable};
    return results;
  }
  // Workers take the next index; each writes only its own slots, joined before returning.
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < targets.size() && !stop.load(); i = next++) {
      results[i] = CheckLoad(*client, targets[i]);
    }
  };
  const size_t threads = std::min(std::max<size_t>(parallel, 1), targets.size());
  std::vector<std::thread> pool;
  pool.reserve(threads);
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(work);
  if (threads > 0) work();
  for (std::thread& t : pool) t.join();
  return results;
}

}  // namespace x2gobroker::loadchecker
