// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/farm_agent.h"

#include <algorithm>
#include <memory>
#include <mutex>
#include <thread>

#include "core/hedged_race.h"
#include "core/log.h"
#include "core/secure_random.h"

namespace x2gobroker::core {
namespace {

// Fisher-Yates with the broker's random source: which member answers for the farm should not
// be predictable, and it spreads agent load over the farm.
void Shuffle(std::vector<std::string>* items) {
  for (size_t i = items->size(); i > 1; --i) std::swap((*items)[i - 1], (*items)[RandomBelow(i)]);
}

// Drops hosts whose load factor is not a number (§10.1). If the load checker has no usable
// value for any host (e.g. its first cycle has not finished), its answer is ignored instead of
// declaring the whole farm down, which is what the reference does.
void DropHostsWithoutLoad(const std::string& profile_id, const std::map<std::string, LoadFactor>& loads,
                          std::vector<std::string>* hosts) {
  std::vector<std::string> kept;
  for (const std::string& h : *hosts) {
    auto it = loads.find(h);
    if (it != loads.end() && it->second.value) kept.push_back(h);
  }
  if (kept.empty()) {
    LogWarning("profile " + profile_id + ": the load checker has no load value for any host yet, ignoring it");
    return;
  }
  *hosts = std::move(kept);
}

}  // namespace

AgentTarget AgentTargetFor(const SessionProfile& profile, const std::string& host, const std::string& host_key_policy) {
  AgentTarget target{host, host, static_cast<int>(profile.sshport), host_key_policy};
  auto alias = profile.aliases.find(host);
  if (alias != profile.aliases.end()) {
    target.address = alias->second.address;
    if (alias->second.port) target.port = static_cast<int>(*alias->second.port);
  }
  return target;
}

FarmAgent FarmAgent::Choose(const SessionProfile& profile, const ProfileAgentSettings& settings,
                            const AgentServices& services, const std::string& backend, AgentTask first_task,
                            const std::string& user, std::chrono::milliseconds hedge_delay,
                            std::optional<AgentTask> prefetch_task) {
  FarmAgent agent;
  if (profile.IsShadow() || settings.mode == AgentQueryMode::kNone) return agent;
  agent.mode_ = settings.mode;
  agent.client_ = settings.mode == AgentQueryMode::kSsh ? services.ssh : services.local;
  if (agent.client_ == nullptr) {
    agent.mode_ = AgentQueryMode::kNone;
    return agent;
  }

  std::vector<AgentTarget> candidates;
  if (settings.mode == AgentQueryMode::kLocal) {
    candidates.push_back(AgentTarget{"localhost", "localhost", 0, settings.host_key_policy});
  } else {
    std::vector<std::string> hosts = profile.hosts;
    Shuffle(&hosts);
    if (settings.use_load_checker && services.load_checker != nullptr) {
      Result<std::map<std::string, LoadFactor>> loads = services.load_checker->ProfileLoad(backend, profile.id);
      if (loads.ok()) {
        DropHostsWithoutLoad(profile.id, *loads, &hosts);
        agent.load_factors_ = std::move(loads).value();
      } else {
        LogWarning("profile " + profile.id + ": load checker unavailable (" + loads.status().message() +
                   "), balancing by session counts");
      }
    }
    for (const std::string& h : hosts) candidates.push_back(AgentTargetFor(profile, h, settings.host_key_policy));
  }

  // The winner's reply is written by its thread; losers finishing later must not touch `agent`.
  struct Replies {
    std::mutex mutex;
    std::vector<std::optional<AgentReply>> by_candidate;
    std::vector<std::optional<AgentReply>> prefetched;
  };
  auto replies = std::make_shared<Replies>();
  replies->by_candidate.resize(candidates.size());
  replies->prefetched.resize(candidates.size());
  AgentClientPtr client = agent.client_;
  std::optional<size_t> winner = HedgedRace(
      candidates.size(),
      [client, candidates, replies, first_task, prefetch_task, user, profile_id = profile.id](size_t i) {
        std::optional<Result<AgentReply>> prefetched;
        std::thread prefetcher;
        if (prefetch_task) {
          prefetcher = std::thread([&] { prefetched = client->Run(candidates[i], *prefetch_task, user, {}); });
        }
        Result<AgentReply> r = client->Run(candidates[i], first_task, user, {});
        if (prefetcher.joinable()) prefetcher.join();
        if (!r.ok()) {
          LogWarning("profile " + profile_id + ": agent on " + candidates[i].hostname + " (" + candidates[i].address +
                     ":" + std::to_string(candidates[i].port) + ") failed: " + r.status().message());
          return false;
        }
        std::lock_guard<std::mutex> lock(replies->mutex);
        replies->by_candidate[i] = std::move(r).value();
        if (prefetched && prefetched->ok()) replies->prefetched[i] = std::move(*prefetched).value();
        return true;
      },
      hedge_delay);
  if (!winner) {
    agent.state_ = State::kDown;
    return agent;
  }
  std::lock_guard<std::mutex> lock(replies->mutex);
  agent.state_ = State::kReady;
  agent.target_ = candidates[*winner];
  agent.first_reply_ = std::move(*replies->by_candidate[*winner]);
  agent.prefetched_reply_ = std::move(replies->prefetched[*winner]);
  return agent;
}

Result<AgentReply> FarmAgent::Run(AgentTask task, const std::string& user, const std::vector<std::string>& args) const {
  return client_->Run(target_, task, user, args);
}

Result<AgentReply> FarmAgent::RunOn(const AgentTarget& target, AgentTask task, const std::string& user,
                                    const std::vector<std::string>& args) const {
  return client_->Run(mode_ == AgentQueryMode::kLocal ? target_ : target, task, user, args);
}

}  // namespace x2gobroker::core
