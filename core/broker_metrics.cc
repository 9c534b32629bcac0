// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/broker_metrics.h"

#include <array>
#include <string>
#include <vector>

#include "core/agent_command.h"
#include "core/router.h"

namespace x2gobroker::core {
namespace {

using metrics::Counter;
using metrics::Gauge;
using metrics::Histogram;

constexpr std::array<const char*, 4> kFrontends = {"plain", "json", "uccs", "other"};
// The tasks of the plain, JSON and UCCS frontends; "none" when there was no task field.
constexpr std::array<const char*, 8> kTasks = {"listprofiles", "listsessions", "selectsession", "setpass",
                                               "testcon",      "uccs",         "none",          "other"};
// The statuses this broker sends (fcgi/http_status.h); "other" for anything else.
constexpr std::array<const char*, 12> kCodes = {"200", "400", "401", "403", "404", "405",
                                                "413", "500", "502", "503", "504", "other"};
constexpr std::array<const char*, 4> kMechanisms = {"none", "pam", "https_get", "other"};
constexpr std::array<const char*, 3> kResults = {"ok", "error", "timeout"};
constexpr size_t kAgentTasks = 10;  // AgentTask's closed set (core/agent_client.h)

// Request and agent-call latencies in seconds, from a cached answer to a slow agent's time-out.
const std::vector<double> kLatencyBounds = {.001, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10};

template <size_t N>
size_t IndexOf(const std::array<const char*, N>& names, std::string_view value) {
  for (size_t i = 0; i + 1 < N; ++i) {
    if (value == names[i]) return i;
  }
  return N - 1;  // "other"
}

struct Handles {
  metrics::Registry registry;
  Counter requests[kFrontends.size()][kTasks.size()][kCodes.size()];
  Histogram request_seconds[kFrontends.size()];
  Counter auth_failures[kMechanisms.size()];
  Counter agent_calls[kAgentTasks][kResults.size()];
  Histogram agent_seconds[kAgentTasks];
  Counter ssh_established;
  Counter ssh_reused;
  Gauge ssh_idle;
  Counter reloads[2];  // ok, failed

  Handles() {
    for (size_t f = 0; f < kFrontends.size(); ++f) {
      for (size_t t = 0; t < kTasks.size(); ++t) {
        for (size_t c = 0; c < kCodes.size(); ++c) {
          requests[f][t][c] = registry.AddCounter(
              "x2gobroker_http_requests_total", "HTTP requests answered, by frontend, task and status code.",
              {{"frontend", kFrontends[f]}, {"task", kTasks[t]}, {"code", kCodes[c]}}, /*show_zero=*/false);
        }
      }
    }
    for (size_t f = 0; f < kFrontends.size(); ++f) {
      request_seconds[f] = registry.AddHistogram("x2gobroker_http_request_duration_seconds",
                                                 "Time from reading a request to its answer being written.",
                                                 {{"frontend", kFrontends[f]}}, kLatencyBounds, /*show_zero=*/false);
    }
    for (size_t m = 0; m < kMechanisms.size(); ++m) {
      auth_failures[m] = registry.AddCounter("x2gobroker_auth_failures_total",
                                             "Logins refused by the access check, by authentication mechanism.",
                                             {{"mechanism", kMechanisms[m]}});
    }
    for (size_t t = 0; t < kAgentTasks; ++t) {
      const char* task = AgentTaskName(static_cast<AgentTask>(t));
      for (size_t r = 0; r < kResults.size(); ++r) {
        agent_calls[t][r] = registry.AddCounter("x2gobroker_agent_calls_total",
                                                "X2Go Broker Agent calls, by task and result.",
                                                {{"task", task}, {"result", kResults[r]}}, /*show_zero=*/false);
      }
    }
    for (size_t t = 0; t < kAgentTasks; ++t) {
      agent_seconds[t] = registry.AddHistogram("x2gobroker_agent_call_duration_seconds",
                                               "Duration of X2Go Broker Agent calls, by task.",
                                               {{"task", AgentTaskName(static_cast<AgentTask>(t))}}, kLatencyBounds,
                                               /*show_zero=*/false);
    }
    ssh_established = registry.AddCounter("x2gobroker_ssh_connections_established_total",
                                          "SSH connections to X2Go Servers opened and authenticated.", {});
    ssh_reused = registry.AddCounter("x2gobroker_ssh_connections_reused_total",
                                     "Agent calls served on a pooled SSH connection.", {});
    ssh_idle = registry.AddGauge("x2gobroker_ssh_connections_idle",
                                 "Pooled SSH connections idle right now (as of each process's last agent call).", {});
    reloads[0] = registry.AddCounter("x2gobroker_config_reloads_total",
                                     "Configuration reloads (SIGHUP or a changed profile file), by result.",
                                     {{"result", "ok"}});
    reloads[1] = registry.AddCounter("x2gobroker_config_reloads_total", "", {{"result", "failed"}});
  }
};

Handles& Instance() {
  static Handles* handles = new Handles();  // never destroyed: workers may still record at exit
  return *handles;
}

size_t FrontendOf(std::string_view path) {
  switch (ParseRoute(path).kind) {
    case Route::Kind::kPlain: return 0;
    case Route::Kind::kJson: return 1;
    case Route::Kind::kUccsPing:
    case Route::Kind::kUccsApi: return 2;
    default: return 3;
  }
}

}  // namespace

metrics::Registry& BrokerMetrics() { return Instance().registry; }

void RecordRequest(std::string_view path, std::string_view task, int status, double seconds) {
  Handles& h = Instance();
  size_t frontend = FrontendOf(path);
  size_t t = task.empty() ? IndexOf(kTasks, "none") : IndexOf(kTasks, task);
  size_t code = IndexOf(kCodes, std::to_string(status));
  h.requests[frontend][t][code].Inc();
  h.request_seconds[frontend].Observe(seconds);
}

void RecordAuthFailure(std::string_view mechanism) { Instance().auth_failures[IndexOf(kMechanisms, mechanism)].Inc(); }

void RecordAgentCall(AgentTask task, AgentCallResult result, double seconds) {
  auto t = static_cast<size_t>(task);
  if (t >= kAgentTasks) return;
  Handles& h = Instance();
  h.agent_calls[t][static_cast<size_t>(result)].Inc();
  h.agent_seconds[t].Observe(seconds);
}

void RecordSshPool(uint64_t established, uint64_t reused, int64_t idle_delta) {
  Handles& h = Instance();
  if (established) h.ssh_established.Inc(established);
  if (reused) h.ssh_reused.Inc(reused);
  if (idle_delta) h.ssh_idle.Add(idle_delta);
}

void RecordConfigReload(bool ok) { Instance().reloads[ok ? 0 : 1].Inc(); }

}  // namespace x2gobroker::core
