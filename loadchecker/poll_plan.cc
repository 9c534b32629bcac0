// SPDX-License-Identifier: AGPL-3.0-or-later
#include "loadchecker/poll_plan.h"

#include <tuple>

#include "core/agent_settings.h"
#include "core/farm_agent.h"
#include "core/load_checker_protocol.h"

namespace x2gobroker::loadchecker {
namespace {

namespace protocol = core::load_checker;

using TargetKey = std::tuple<std::string, std::string, int, std::string>;

TargetKey KeyOf(const core::AgentTarget& t) { return {t.hostname, t.address, t.port, t.host_key_policy}; }

// Empty if the profile can be served over the socket, else why not.
std::string Unservable(const std::string& backend, const core::SessionProfile& profile) {
  if (auto s = protocol::CheckId(backend, protocol::kMaxBackendBytes, "backend"); !s.ok()) return s.message();
  if (auto s = protocol::CheckId(profile.id, protocol::kMaxProfileIdBytes, "profile id"); !s.ok()) return s.message();
  if (profile.hosts.size() > protocol::kMaxHosts) return "more than " + std::to_string(protocol::kMaxHosts) + " hosts";
  for (const std::string& host : profile.hosts) {
    if (auto s = protocol::CheckId(host, protocol::kMaxHostBytes, "host"); !s.ok()) return s.message();
  }
  return "";
}

}  // namespace

PollPlan BuildPollPlan(const core::BrokerConfig& config, const ProfileSource& source,
                       std::vector<std::string>* skipped) {
  PollPlan plan;
  std::map<TargetKey, size_t> index;
  for (const auto& [backend, set] : source) {
    if (set == nullptr) continue;
    for (const core::SessionProfilePtr& profile : set->profiles) {
      const core::ProfileAgentSettings settings = core::AgentSettingsFor(*profile, config, backend);
      if (!settings.use_load_checker) continue;  // includes "not SSH mode" and "fewer than 2 hosts"
      if (std::string why = Unservable(backend, *profile); !why.empty()) {
        if (skipped != nullptr) skipped->push_back(backend + "/" + profile->id + " (" + profile->source + "): " + why);
        continue;
      }
      PlannedProfile planned{backend, profile->id, {}};
      for (const std::string& host : profile->hosts) {
        core::AgentTarget target = core::AgentTargetFor(*profile, host, settings.host_key_policy);
        auto [it, inserted] = index.emplace(KeyOf(target), plan.targets.size());
        if (inserted) plan.targets.push_back(std::move(target));
        planned.hosts[host] = it->second;
      }
      plan.profiles.push_back(std::move(planned));
    }
  }
  return plan;
}

LoadMap TableFor(const PollPlan& plan, const std::vector<std::optional<core::LoadFactor>>& results,
                 const LoadMap* previous) {
  LoadMap table;
  for (const PlannedProfile& p : plan.profiles) {
    const ProfileKey key{p.backend, p.profile_id};
    const HostLoads* old = nullptr;
    if (previous != nullptr) {
      auto it = previous->find(key);
      if (it != previous->end()) old = &it->second;
    }
    HostLoads& hosts = table[key];
    for (const auto& [host, target] : p.hosts) {
      if (target < results.size() && results[target]) {
        hosts[host] = *results[target];
        continue;
      }
      if (old != nullptr) {
        if (auto it = old->find(host); it != old->end()) {
          hosts[host] = it->second;
          continue;
        }
      }
      hosts[host] = core::LoadFactor{std::nullopt, core::kLoadUnavailable};
    }
  }
  return table;
}

}  // namespace x2gobroker::loadchecker
