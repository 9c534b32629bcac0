// SPDX-License-Identifier: AGPL-3.0-or-later
// One serving process: the worker pool, the file watcher and the signal loop.
// SIGHUP reloads; SIGUSR1 reopens the log files (core::ReopenLogFiles, for logrotate);
// SIGTERM/SIGINT stop accepting, let requests in flight finish (bounded) and
// return. Signals are taken with sigwait() on the calling thread, so they must be blocked in
// every thread: call BlockServerSignals() before any thread is started.
#pragma once

#include <chrono>

#include "fcgi/snapshot_holder.h"

namespace x2gobroker::fcgi {

struct ServerSettings {
  int listen_fd = -1;          // listening, non-blocking
  int threads = 8;
  bool watch_files = true;     // false in pre-fork workers: the master watches for them
  std::chrono::milliseconds stop_grace = std::chrono::seconds(10);
};

// Blocks SIGHUP, SIGUSR1, SIGTERM and SIGINT (and SIGCHLD when `with_sigchld`, for the pre-fork master)
// in the calling thread; threads started later inherit the mask.
void BlockServerSignals(bool with_sigchld);

// SIGUSR1: core::ReopenLogFiles, logging the outcome (a failure keeps the old files).
void ReopenLogs();

// Serves until SIGTERM or SIGINT; returns the exit code (0). If requests are still running when
// stop_grace expires, logs it and ends the process with _exit(0) (those threads still use
// the pool and the snapshot, so returning would destroy them under their feet).
int RunServer(const ServerSettings& settings, SnapshotHolder& holder);

}  // namespace x2gobroker::fcgi
