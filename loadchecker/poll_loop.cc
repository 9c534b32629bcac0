// SPDX-License-Identifier: AGPL-3.0-or-later
#include "loadchecker/poll_loop.h"

#include <ctime>
#include <string>
#include <vector>

#include "core/log.h"
#include "loadchecker/poller.h"

namespace x2gobroker::loadchecker {
namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

CycleSummary RunPollCycle(const DaemonConfigPtr& config, ProfileBackends& backends, LoadTable& table,
                          const std::atomic<bool>& stop) {
  backends.Refresh(config);
  std::vector<std::string> skipped;
  const PollPlan plan = BuildPollPlan(config->config, backends.Profiles(), &skipped);
  for (const std::string& s : skipped) core::LogWarning("not polled: " + s);
  // New profiles become known (LOAD-UNAVAILABLE) and vanished ones go before the slow part.
  std::shared_ptr<const LoadMap> before = table.Snapshot();
  table.Publish(TableFor(plan, std::vector<std::optional<core::LoadFactor>>(plan.targets.size()), before.get()));
  const auto results = PollTargets(plan.targets, config->ssh.get(), kMaxParallelQueries, stop);
  std::shared_ptr<const LoadMap> planned = table.Snapshot();
  table.Publish(TableFor(plan, results, planned.get()));
  CycleSummary summary{plan.profiles.size(), plan.targets.size(), 0};
  for (const auto& r : results) summary.ok += (r && r->value) ? 1 : 0;
  return summary;
}

PollLoop::PollLoop(core::BrokerEnvironment env, const core::SessionBackendRegistry& registry, LoadTable& table,
                   DaemonConfigPtr initial)
    : env_(std::move(env)), table_(table), backends_(registry), config_(std::move(initial)) {}

PollLoop::~PollLoop() { Stop(); }

void PollLoop::Start() { thread_ = std::thread([this] { Run(); }); }

void PollLoop::RequestReload() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    reload_requested_ = true;
  }
  wake_.notify_one();
}

void PollLoop::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void PollLoop::DrainKeyDeletions() {
  if (config_->key_deletions == nullptr) return;
  const size_t removed =
      config_->key_deletions->RunDue(static_cast<int64_t>(std::time(nullptr)), config_->ssh.get(), nullptr);
  if (removed > 0) core::LogInfo("removed " + std::to_string(removed) + " temporary autologin key(s)");
}

void PollLoop::Run() {
  Clock::time_point next_cycle = Clock::now();
  Clock::time_point next_drain = next_cycle;
  for (;;) {
    bool reload = false;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait_until(lock, std::min(next_cycle, next_drain), [this] { return stop_.load() || reload_requested_; });
      if (stop_) return;
      reload = reload_requested_;
      reload_requested_ = false;
    }
    if (reload) {
      core::Result<DaemonConfigPtr> loaded = LoadDaemonConfig(env_, /*open_key_deletions=*/true);
      if (loaded.ok()) {
        config_ = std::move(loaded).value();
        core::LogInfo("configuration reloaded from " + env_.config_file);
        next_cycle = Clock::now();
      } else {
        core::LogError("reload refused, keeping the running configuration: " + loaded.status().message());
      }
    }
    if (Clock::now() >= next_cycle) {
      const Clock::time_point started = Clock::now();
      const CycleSummary s = RunPollCycle(config_, backends_, table_, stop_);
      const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
      core::LogInfo("poll cycle: " + std::to_string(s.profiles) + " profile(s), " + std::to_string(s.targets) +
                    " server(s), " + std::to_string(s.ok) + " with a load factor, " + std::to_string(ms) + "ms");
      DrainKeyDeletions();
      next_drain = Clock::now() + kKeyDeletionPeriod;
      // The validator keeps the interval positive; 1 s is the floor should it not.
      next_cycle = Clock::now() + std::chrono::seconds(std::max<int64_t>(config_->config.load_checker_intervals, 1));
    }
    if (Clock::now() >= next_drain) {
      DrainKeyDeletions();
      next_drain = Clock::now() + kKeyDeletionPeriod;
    }
  }
}

}  // namespace x2gobroker::loadchecker
