// SPDX-License-Identifier: AGPL-3.0-or-later
// The optional pre-fork master (--workers N): forks N worker processes that share the listen
// socket, respawns a worker that dies (with a back-off so that a crash loop does not spin),
// forwards SIGHUP, SIGUSR1 (after reopening its own log files) and SIGTERM/SIGINT, and returns once the workers are gone after a stop.
//
// The master keeps its own snapshot current (reload on SIGHUP and when a watched file
// changes, then SIGHUP to the workers), so a respawned worker starts from the running
// configuration it inherits through fork(). The master never starts threads: fork() in a
// multi-threaded process would copy locked mutexes.
#pragma once

#include <chrono>
#include <functional>

#include "fcgi/file_watcher.h"

namespace x2gobroker::fcgi {

struct PreforkSettings {
  int workers = 1;
  // Runs in each child after fork(); its return value is the child's exit code.
  std::function<int()> worker_main;
  // Optional; runs in each child right after fork(), before worker_main, with the worker's slot
  // number 0..workers-1 (a respawned worker gets the slot of the one it replaces).
  std::function<void(size_t slot)> worker_started;
  // Reloads the master's snapshot (before the workers are told to reload theirs).
  std::function<void()> reload;
  // Files whose change triggers a reload (the master's snapshot's WatchedFiles()).
  FileWatcher::FileLister watched_files;
  // After SIGTERM: how long the workers get before SIGKILL.
  std::chrono::milliseconds stop_grace = std::chrono::seconds(15);
};

// REQUIRES: single-threaded caller with SIGHUP, SIGUSR1, SIGTERM, SIGINT and SIGCHLD blocked
// (BlockServerSignals(true)). Returns the exit code: 0 after a requested stop.
int RunPrefork(const PreforkSettings& settings);

}  // namespace x2gobroker::fcgi
