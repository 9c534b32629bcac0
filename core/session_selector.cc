// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/session_selector.h"

#include <unistd.h>

#include <algorithm>
#include <thread>
#include <vector>

#include "core/agent_command.h"
#include "core/agent_replies.h"
#include "core/autologin.h"
#include "core/farm_agent.h"
#include "core/host_matching.h"
#include "core/load_balancer.h"
#include "core/log.h"
#include "core/secure_random.h"
#include "core/string_util.h"

namespace x2gobroker::core {
namespace {

// How often a taken-over session is re-listed while waiting for its `S` state.
constexpr std::chrono::milliseconds kSuspendPollInterval{200};

std::string SystemHostname() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return "localhost";
  return name;
}

// The profile host a session's server stands for (§10.2 step 4.3), or "" when the session is on
// a server of another profile. Sessions record the server's short hostname.
std::string ProfileHostOf(const std::string& server, const std::vector<std::string>& hosts,
                          const SessionProfile& profile) {
  if (profile.aliases.count(server) != 0) return server;
  if (std::find(hosts.begin(), hosts.end(), server) != hosts.end()) return server;
  if (!MatchingHostnames(hosts, {server}).empty()) {
    for (const std::string& h : hosts) {
      if (StartsWith(h, server + ".")) return h;
    }
  }
  return "";
}

struct Resumable {
  AgentSession session;
  std::string host;  // the profile host of its server
};

// The user's session to resume on this profile's hosts: the first suspended one in agent
// order, else the first running one.
std::optional<Resumable> FindResumable(const std::vector<AgentSession>& sessions, const std::vector<std::string>& hosts,
                                       const SessionProfile& profile) {
  for (char wanted : {'S', 'R'}) {
    for (const AgentSession& s : sessions) {
      if (s.status != wanted) continue;
      std::string host = ProfileHostOf(s.server, hosts, profile);
      if (!host.empty()) return Resumable{s, host};
    }
  }
  return std::nullopt;
}

std::string SessionIdOf(const AgentSession& s) {
  std::vector<std::string> fields = Split(s.line, '|');
  return fields.size() > 1 ? fields[1] : std::string();
}

// Suspends a running session and waits until the agent lists it as suspended (§13 row 31: the
// reference sleeps 2 s instead). The session DB flips at once with x2goserver's tools, so the
// first re-listing normally shows it.
void TakeOver(const FarmAgent& agent, const std::string& user, Resumable* r, std::chrono::seconds wait) {
  const std::string sid = SessionIdOf(r->session);
  Result<AgentReply> suspended = agent.Run(AgentTask::kSuspendSession, user, {sid});
  if (!suspended.ok()) {
    LogWarning("suspending session " + sid + " failed: " + suspended.status().message());
  } else {
    const auto deadline = std::chrono::steady_clock::now() + wait;
    bool seen_suspended = false;
    while (!seen_suspended) {
      Result<AgentReply> listed = agent.Run(AgentTask::kListSessions, user, {});
      if (listed.ok()) {
        for (const AgentSession& s : ParseSessionLines(listed->lines)) {
          if (SessionIdOf(s) == sid && s.status == 'S') seen_suspended = true;
        }
      }
      if (seen_suspended || std::chrono::steady_clock::now() + kSuspendPollInterval > deadline) break;
      std::this_thread::sleep_for(kSuspendPollInterval);
    }
    if (!seen_suspended) LogWarning("session " + sid + " is not listed as suspended yet, resuming it anyway");
  }
  size_t at = r->session.line.find("|R|");
  if (at != std::string::npos) r->session.line.replace(at, 3, "|S|");
}

// Session counts per server for load balancing (§10.3), asked once per request. Without
// per-server counts (x2goserver's SQLite backend) there is nothing to balance on: nullopt.
std::optional<std::map<std::string, int64_t>> BusyServers(const FarmAgent& agent, const std::string& user,
                                                          const std::string& profile_id) {
  Result<AgentReply> servers =
      agent.prefetched_reply() ? Result<AgentReply>(*agent.prefetched_reply()) : agent.Run(AgentTask::kGetServers, user, {});
  if (!servers.ok()) {
    LogWarning("profile " + profile_id + ": getservers failed: " + servers.status().message());
    return std::nullopt;
  }
  std::optional<std::map<std::string, int64_t>> counts = ParseGetServers(servers->lines);
  if (!counts) {
    LogWarning("profile " + profile_id +
               ": the agent reports no session counts (x2goserver's SQLite session DB?), choosing a random server");
  }
  return counts;
}

}  // namespace

bool PortscanEnabled(const SessionProfile& profile, const BrokerConfig& config) {
  return profile.portscan.value_or(config.default_portscan_x2goservers);
}

bool SessionAutologinEnabled(const SessionProfile& profile, const BrokerConfig& config) {
  return profile.session_autologin.value_or(config.default_session_autologin);
}

SelectedSession SessionSelector::Select(const SessionProfile* profile, const SelectRequest& request) const {
  if (profile == nullptr) return {kNoServerAvailable, 22};
  if (profile->hosts.empty()) return {kNoServerAvailable, profile->sshport};

  const ProfileAgentSettings settings = AgentSettingsFor(*profile, config_, request.backend);
  FarmAgent agent = FarmAgent::None();
  if (agents_ != nullptr && !request.login.empty()) {
    // A multi-host profile without a session to resume needs the session counts too: ask for
    // them at the same time (a resume wastes that call, but nobody waits for it).
    std::optional<AgentTask> prefetch;
    if (profile->hosts.size() >= 2 && !profile->IsShadow()) prefetch = AgentTask::kGetServers;
    agent = FarmAgent::Choose(*profile, settings, *agents_, request.backend, AgentTask::kListSessions, request.login,
                              kAgentHedgeDelay, prefetch);
  }
  const bool have_agent = agent.state() == FarmAgent::State::kReady;
  std::vector<AgentSession> sessions;
  if (have_agent) sessions = ParseSessionLines(agent.first_reply().lines);

  std::vector<std::string> hosts = profile->hosts;
  // x2goserver records the system's hostname, so `localhost` is compared under that name; the
  // first host is fixed before, so a single `localhost` host is still answered as `localhost`.
  std::string server_name = hosts.front();
  int64_t server_port = profile->sshport;
  const std::string hostname = SystemHostname();
  std::replace(hosts.begin(), hosts.end(), std::string("localhost"), hostname);
  const bool probe = PortscanEnabled(*profile, config_) && prober_ != nullptr;
  const size_t configured_hosts = hosts.size();
  std::optional<Resumable> resumable;
  if (have_agent) resumable = FindResumable(sessions, hosts, *profile);
  std::optional<std::optional<std::map<std::string, int64_t>>> busy;  // outer: asked yet

  std::optional<SelectedSession> selected;
  while (!hosts.empty() && !selected && agent.state() != FarmAgent::State::kDown) {
    if (resumable) {
      if (resumable->session.status == 'R') {
        TakeOver(agent, request.login, &*resumable, std::chrono::seconds(config_.suspend_wait_timeout));
        resumable->session.status = 'S';
      }
      server_name = resumable->host;
    } else if (have_agent && hosts.size() >= 2) {
      if (!busy) busy = BusyServers(agent, request.login, profile->id);
      std::optional<std::string> least_busy;
      if (*busy) {
        const auto& factors = agent.load_factors();
        least_busy = ChooseLeastBusyHost(hosts, **busy, factors ? &*factors : nullptr);
      }
      server_name = least_busy ? *least_busy : hosts[RandomBelow(hosts.size())];
    } else if (hosts.size() >= 2) {
      server_name = profile->IsShadow() ? hosts.front() : hosts[RandomBelow(hosts.size())];
    }
    AgentTarget target = AgentTargetFor(*profile, server_name, settings.host_key_policy);
    server_port = target.port;
    bool reachable = !probe || prober_->IsReachable(target.address, target.port) ||
                     (server_name != target.address && prober_->IsReachable(server_name, target.port));
    if (reachable) {
      selected = SelectedSession{target.address, server_port};
      if (resumable) selected->session_info = resumable->session.line;
      if (have_agent && SessionAutologinEnabled(*profile, config_)) {
        AutologinKey key = DeployAutologinKey(AutologinContext{agent, *profile, settings, *agents_, config_},
                                              request.login, request.pubkey, request.client_ip, target);
        selected->private_key = std::move(key.private_key);
        selected->pubkey_status = std::move(key.pubkey_status);
      }
      break;
    }
    LogWarning("profile " + profile->id + ": X2Go Server " + server_name + " (" + target.address + ":" +
               std::to_string(target.port) + ") does not answer, trying the next one");
    // Remove the host that was tried (under its replaced name for `localhost`), and forget a
    // session on it: a session on a dead server is a zombie.
    const std::string& tried = server_name == "localhost" ? hostname : server_name;
    auto it = std::find(hosts.begin(), hosts.end(), tried);
    if (it != hosts.end()) hosts.erase(it);
    else hosts.erase(hosts.begin());
    resumable.reset();
    if (!hosts.empty()) server_name = hosts.front();
  }
  if (selected) return *selected;
  if (configured_hosts > 1) return {kNoX2GoServerAvailable, profile->sshport};
  // A single-host profile is answered even when its server is down (reference behaviour).
  AgentTarget single = AgentTargetFor(*profile, profile->hosts.front(), settings.host_key_policy);
  return {single.address, single.port};
}

}  // namespace x2gobroker::core
