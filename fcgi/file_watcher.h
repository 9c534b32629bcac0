// SPDX-License-Identifier: AGPL-3.0-or-later
// FileWatcher notices when the snapshot's files (profile files) change on disk, by comparing
// stat() identities: edited in place (mtime, size) or replaced by rename (inode). Polling once a
// second is cheap for a handful of files and works on every file system, unlike inotify on
// NFS. WatcherThread runs the check on its own thread.
#pragma once

#include "fcgi/periodic_thread.h"

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace x2gobroker::fcgi {

class FileWatcher {
 public:
  // Returns the files to watch now (asked at every check: a reload may change the list).
  using FileLister = std::function<std::vector<std::string>()>;

  explicit FileWatcher(FileLister lister);

  // Stats the listed files and compares with the previous call. True if a file seen before has
  // changed, appeared or disappeared; files new to the list are only recorded. The first call
  // records and returns false. Not thread-safe: one caller.
  bool Changed();

  // Records the current state without reporting: call after a reload so that a change made
  // while the reload ran is compared against what the new snapshot read.
  void Rebase();

 private:
  struct Identity {
    bool exists = false;
    dev_t device = 0;
    ino_t inode = 0;
    off_t size = 0;
    int64_t mtime_ns = 0;
    bool operator==(const Identity&) const = default;
  };
  std::map<std::string, Identity> Snapshot() const;

  FileLister lister_;
  std::map<std::string, Identity> known_;
  bool started_ = false;
};

// Calls `on_change` (on its own thread) whenever the watcher reports a change, checking every
// `interval`. Stops and joins in Stop() or the destructor.
class WatcherThread {
 public:
  WatcherThread(FileWatcher::FileLister lister, std::function<void()> on_change,
                std::chrono::milliseconds interval = std::chrono::seconds(1));

  void Stop() { thread_.Stop(); }

 private:
  FileWatcher watcher_;
  std::function<void()> on_change_;
  PeriodicThread thread_;  // last: started after the members it uses
};

}  // namespace x2gobroker::fcgi
