// SPDX-License-Identifier: AGPL-3.0-or-later
// PollLoop: the load checker's scheduler thread (PROTOCOL.md §11.2). The first cycle runs at
// start, the next one load-checker-intervals seconds after the previous one ended. A cycle
// first publishes the new plan (kept values for known hosts, LOAD-UNAVAILABLE for new ones,
// vanished profiles and hosts dropped), then polls and publishes the results. Every
// kKeyDeletionPeriod, and after each cycle, due autologin keys are removed (§10.4). A reload
// request (SIGHUP) loads the configuration on this thread; a broken one is logged and the old
// one kept, a good one starts a cycle at once.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/broker_config.h"
#include "core/session_backend.h"
#include "loadchecker/daemon_state.h"
#include "loadchecker/load_table.h"

namespace x2gobroker::loadchecker {

// Temporary keys live kAutologinKeyLifetime (20 s by default): checking every 5 s keeps them
// at most that much longer.
inline constexpr std::chrono::seconds kKeyDeletionPeriod{5};

struct CycleSummary {
  size_t profiles = 0;
  size_t targets = 0;
  size_t ok = 0;  // targets with a numeric load factor
};

// One polling cycle on the calling thread: refreshes `backends`, plans, publishes, polls (at
// most kMaxParallelQueries at a time; unasked targets after `stop` keep their old values) and
// publishes again.
CycleSummary RunPollCycle(const DaemonConfigPtr& config, ProfileBackends& backends, LoadTable& table,
                          const std::atomic<bool>& stop);

class PollLoop {
 public:
  // REQUIRES: `registry` and `table` outlive the loop; `initial` is not null.
  PollLoop(core::BrokerEnvironment env, const core::SessionBackendRegistry& registry, LoadTable& table,
           DaemonConfigPtr initial);
  ~PollLoop();  // Stop()
  PollLoop(const PollLoop&) = delete;
  PollLoop& operator=(const PollLoop&) = delete;

  void Start();
  // Thread-safe; the reload happens on the loop's thread.
  void RequestReload();
  // Asks the loop to end (a running cycle asks no further hosts; calls in flight end within
  // their time-outs) and joins it. Idempotent.
  void Stop();

 private:
  void Run();
  void DrainKeyDeletions();

  const core::BrokerEnvironment env_;
  LoadTable& table_;
  ProfileBackends backends_;
  DaemonConfigPtr config_;  // only the loop's thread touches it after Start()

  std::mutex mutex_;
  std::condition_variable wake_;
  bool reload_requested_ = false;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace x2gobroker::loadchecker
