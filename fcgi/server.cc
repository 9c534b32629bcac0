// SPDX-License-Identifier: AGPL-3.0-or-later
#include "fcgi/server.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>

#include "core/log.h"
#include "fcgi/file_watcher.h"
#include "fcgi/worker_pool.h"

namespace x2gobroker::fcgi {
namespace {

sigset_t ServerSignals(bool with_sigchld) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGHUP);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGUSR1);
  if (with_sigchld) sigaddset(&set, SIGCHLD);
  return set;
}

}  // namespace

void ReopenLogs() {
  if (core::Status status = core::ReopenLogFiles(); !status.ok()) {
    core::LogError("SIGUSR1: " + status.message() + "; still writing to the previous file");
  } else {
    core::LogInfo("SIGUSR1: log files reopened");
  }
}

void BlockServerSignals(bool with_sigchld) {
  sigset_t set = ServerSignals(with_sigchld);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int RunServer(const ServerSettings& settings, SnapshotHolder& holder) {
  WorkerPool pool(settings.listen_fd, settings.threads, holder);
  if (auto status = pool.Start(); !status.ok()) {
    core::LogError("cannot start the worker pool: " + status.message());
    return 1;
  }
  std::unique_ptr<WatcherThread> watcher;
  if (settings.watch_files) {
    watcher = std::make_unique<WatcherThread>([&holder] { return holder.Current()->WatchedFiles(); },
                                              [&holder] {
                                                core::LogInfo("a watched file changed: reloading");
                                                holder.Reload();
                                              });
  }

  // Due key deletions and similar background work of the current snapshot.
  PeriodicThread maintenance([&holder] { holder.Current()->Maintain(); }, std::chrono::seconds(1));
  maintenance.Start();

  sigset_t set = ServerSignals(false);
  for (;;) {
    int signal_number = 0;
    if (int rc = sigwait(&set, &signal_number); rc != 0) {
      core::LogError(std::string("sigwait: ") + strerror(rc));
      continue;
    }
    if (signal_number == SIGHUP) {
      core::LogInfo("SIGHUP: reloading the configuration");
      holder.Reload();
      continue;
    }
    if (signal_number == SIGUSR1) {
      ReopenLogs();
      continue;
    }
    core::LogInfo(std::string("received ") + (signal_number == SIGTERM ? "SIGTERM" : "SIGINT") +
                  ": stopping, " + std::to_string(pool.busy()) + " request(s) in flight");
    break;
  }

  pool.Stop();
  maintenance.Stop();
  if (watcher) watcher->Stop();
  if (!pool.WaitStopped(settings.stop_grace)) {
    core::LogWarning("stop: " + std::to_string(pool.busy()) + " request(s) still running after " +
                     std::to_string(settings.stop_grace.count()) + " ms; exiting without them");
    _exit(0);
  }
  core::LogInfo("stopped");
  return 0;
}

}  // namespace x2gobroker::fcgi
