// SPDX-License-Identifier: AGPL-3.0-or-later
#include "fcgi/prefork.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "core/log.h"
#include "fcgi/server.h"

namespace x2gobroker::fcgi {
namespace {

using Clock = std::chrono::steady_clock;

// A worker that lived shorter than this counts as crashing at start: its back-off doubles.
constexpr auto kStableAfter = std::chrono::seconds(10);
constexpr auto kFirstBackoff = std::chrono::milliseconds(500);
constexpr auto kMaxBackoff = std::chrono::seconds(30);
constexpr auto kWatchInterval = std::chrono::seconds(1);

struct Slot {
  pid_t pid = 0;                  // 0: not running
  Clock::time_point started;
  Clock::time_point respawn_at;   // when pid == 0
  std::chrono::milliseconds backoff{0};
};

std::string DescribeExit(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return std::string("killed by signal ") + strsignal(WTERMSIG(status));
  return "stopped";
}

class Master {
 public:
  explicit Master(const PreforkSettings& settings)
      : settings_(settings), slots_(static_cast<size_t>(settings.workers)), watcher_(settings.watched_files) {}

  int Run() {
    watcher_.Rebase();
    for (Slot& slot : slots_) Spawn(slot);
    auto next_watch = Clock::now() + kWatchInterval;
    sigset_t set;
    sigemptyset(&set);
    for (int s : {SIGHUP, SIGUSR1, SIGTERM, SIGINT, SIGCHLD}) sigaddset(&set, s);

    for (;;) {
      int signal_number = WaitSignal(set, NextDeadline(next_watch));
      if (signal_number == SIGHUP) {
        core::LogInfo("SIGHUP: reloading the configuration in the master and the workers");
        ReloadAll();
      } else if (signal_number == SIGUSR1) {
        ReopenLogs();
        SignalWorkers(SIGUSR1);
      } else if ((signal_number == SIGTERM || signal_number == SIGINT) && !stopping_) {
        core::LogInfo("stopping: telling the workers");
        stopping_ = true;
        kill_at_ = Clock::now() + settings_.stop_grace;
        SignalWorkers(SIGTERM);
      }
      Reap();
      if (stopping_) {
        if (Running() == 0) {
          core::LogInfo("all workers gone; stopped");
          return 0;
        }
        if (Clock::now() >= kill_at_) {
          core::LogWarning("workers still running after the grace period: SIGKILL");
          SignalWorkers(SIGKILL);
          kill_at_ = Clock::now() + std::chrono::hours(1);
        }
        continue;
      }
      auto now = Clock::now();
      for (Slot& slot : slots_) {
        if (slot.pid == 0 && now >= slot.respawn_at) Spawn(slot);
      }
      if (now >= next_watch) {
        next_watch = now + kWatchInterval;
        if (watcher_.Changed()) {
          core::LogInfo("a watched file changed: reloading the master and the workers");
          ReloadAll();
          watcher_.Rebase();
        }
      }
    }
  }

 private:
  Clock::time_point NextDeadline(Clock::time_point next_watch) const {
    Clock::time_point deadline = stopping_ ? kill_at_ : next_watch;
    if (!stopping_) {
      for (const Slot& slot : slots_) {
        if (slot.pid == 0) deadline = std::min(deadline, slot.respawn_at);
      }
    }
    return deadline;
  }

  // Waits for one of `set` until `deadline`; 0 on time-out.
  static int WaitSignal(const sigset_t& set, Clock::time_point deadline) {
    auto wait = std::max(Clock::duration::zero(), deadline - Clock::now());
    auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(wait).count();
    timespec timeout{static_cast<time_t>(ns / 1000000000), static_cast<long>(ns % 1000000000)};
    int signal_number = sigtimedwait(&set, nullptr, &timeout);
    return signal_number < 0 ? 0 : signal_number;  // EAGAIN (time-out) or EINTR
  }

  void Spawn(Slot& slot) {
    pid_t master = getpid();
    pid_t pid = fork();
    if (pid < 0) {
      core::LogError(std::string("fork: ") + strerror(errno));
      slot.backoff = std::min<std::chrono::milliseconds>(std::max(slot.backoff * 2, std::chrono::milliseconds(kFirstBackoff)), kMaxBackoff);
      slot.respawn_at = Clock::now() + slot.backoff;
      return;
    }
    if (pid == 0) {
      // A worker must not outlive its master (it would keep serving an old configuration).
      prctl(PR_SET_PDEATHSIG, SIGTERM);
      if (getppid() != master) _exit(0);
      if (settings_.worker_started) settings_.worker_started(static_cast<size_t>(&slot - slots_.data()));
      sigset_t chld;
      sigemptyset(&chld);
      sigaddset(&chld, SIGCHLD);
      pthread_sigmask(SIG_UNBLOCK, &chld, nullptr);
      // _exit: the master's destructors (listen socket file, snapshot) are not the child's to run.
      _exit(settings_.worker_main());
    }
    slot.pid = pid;
    slot.started = Clock::now();
    core::LogInfo("started worker " + std::to_string(pid));
  }

  void Reap() {
    int status = 0;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
      auto slot = std::find_if(slots_.begin(), slots_.end(), [pid](const Slot& s) { return s.pid == pid; });
      if (slot == slots_.end()) continue;  // not a worker (cannot happen: workers are our only children)
      slot->pid = 0;
      if (stopping_) {
        core::LogInfo("worker " + std::to_string(pid) + " " + DescribeExit(status));
        continue;
      }
      bool stable = Clock::now() - slot->started >= kStableAfter;
      slot->backoff = stable ? std::chrono::milliseconds(kFirstBackoff)
                             : std::min<std::chrono::milliseconds>(
                                   std::max(slot->backoff * 2, std::chrono::milliseconds(kFirstBackoff)), kMaxBackoff);
      slot->respawn_at = Clock::now() + slot->backoff;
      core::LogError("worker " + std::to_string(pid) + " " + DescribeExit(status) + "; respawning in " +
                     std::to_string(slot->backoff.count()) + " ms");
    }
  }

  void ReloadAll() {
    if (settings_.reload) settings_.reload();
    SignalWorkers(SIGHUP);
  }

  void SignalWorkers(int signal_number) {
    for (const Slot& slot : slots_) {
      if (slot.pid > 0) kill(slot.pid, signal_number);
    }
  }

  int Running() const {
    return static_cast<int>(std::count_if(slots_.begin(), slots_.end(), [](const Slot& s) { return s.pid > 0; }));
  }

  const PreforkSettings& settings_;
  std::vector<Slot> slots_;
  FileWatcher watcher_;
  bool stopping_ = false;
  Clock::time_point kill_at_;
};

}  // namespace

int RunPrefork(const PreforkSettings& settings) {
  Master master(settings);
  return master.Run();
}

}  // namespace x2gobroker::fcgi
