// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/listing_status.h"

#include <map>
#include <thread>

#include "core/agent_command.h"
#include "core/agent_replies.h"
#include "core/agent_settings.h"
#include "core/farm_agent.h"
#include "core/host_matching.h"
#include "core/string_util.h"

namespace x2gobroker::core {
namespace {

struct Farm {
  const SessionProfile* asked_for = nullptr;  // the first profile with these hosts
  ProfileAgentSettings settings;
  std::vector<VisibleProfile*> members;
  std::optional<std::vector<AgentSession>> sessions;  // unset: no agent answered
};

void Mark(VisibleProfile* v, const std::vector<AgentSession>& sessions) {
  std::vector<std::string> suspended_on, running_on;
  for (const AgentSession& s : sessions) (s.status == 'S' ? suspended_on : running_on).push_back(s.server);
  const std::vector<std::string>& hosts = v->profile->hosts;
  std::vector<std::string> match = MatchingHostnames(hosts, suspended_on);
  if (!match.empty()) {
    v->status = "S";
  } else {
    match = MatchingHostnames(hosts, running_on);
    if (!match.empty()) v->status = "R";
  }
  v->host_override = std::vector<std::string>{match.empty() ? hosts.front() : match.front()};
}

}  // namespace

void MarkSessionStatus(const BrokerConfig& config, const AgentServices& agents, const std::string& backend,
                       const std::string& user, std::vector<VisibleProfile>* profiles) {
  if (!IsValidAgentUser(user)) return;
  std::map<std::string, Farm> farms;  // by mode, policy and host list
  for (VisibleProfile& v : *profiles) {
    const SessionProfile& p = *v.profile;
    if (p.IsShadow() || p.hosts.empty()) continue;
    ProfileAgentSettings settings = AgentSettingsFor(p, config, backend);
    if (settings.mode == AgentQueryMode::kNone) continue;
    std::string key = std::string(QueryModeName(settings.mode)) + "|" + settings.host_key_policy + "|" + Join(p.hosts, ",");
    Farm& farm = farms[key];
    if (farm.asked_for == nullptr) {
      farm.asked_for = &p;
      farm.settings = settings;
    }
    farm.members.push_back(&v);
  }
  std::vector<std::thread> askers;
  for (auto& entry : farms) {
    Farm& farm = entry.second;
    askers.emplace_back([&farm, &agents, &backend, &user] {
      FarmAgent agent = FarmAgent::Choose(*farm.asked_for, farm.settings, agents, backend, AgentTask::kListSessions,
                                          user, kAgentHedgeDelay);
      if (agent.state() == FarmAgent::State::kReady) farm.sessions = ParseSessionLines(agent.first_reply().lines);
    });
  }
  for (std::thread& t : askers) t.join();
  for (auto& [key, farm] : farms) {
    if (!farm.sessions) continue;  // agent errors leave the profiles unchanged
    for (VisibleProfile* v : farm.members) Mark(v, *farm.sessions);
  }
}

}  // namespace x2gobroker::core
