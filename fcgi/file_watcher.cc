// SPDX-License-Identifier: AGPL-3.0-or-later
#include "fcgi/file_watcher.h"

#include <sys/stat.h>

#include <utility>

namespace x2gobroker::fcgi {

FileWatcher::FileWatcher(FileLister lister) : lister_(std::move(lister)) {}

std::map<std::string, FileWatcher::Identity> FileWatcher::Snapshot() const {
  std::map<std::string, Identity> result;
  for (const std::string& path : lister_()) {
    Identity identity;
    struct stat info {};
    // stat, not lstat: a symlinked profile file is watched where it points to.
    if (stat(path.c_str(), &info) == 0) {
      identity.exists = true;
      identity.device = info.st_dev;
      identity.inode = info.st_ino;
      identity.size = info.st_size;
      identity.mtime_ns = static_cast<int64_t>(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec;
    }
    result.emplace(path, identity);
  }
  return result;
}

bool FileWatcher::Changed() {
  std::map<std::string, Identity> now = Snapshot();
  bool changed = false;
  if (started_) {
    for (const auto& [path, identity] : now) {
      auto before = known_.find(path);
      if (before != known_.end() && !(before->second == identity)) changed = true;
    }
  }
  started_ = true;
  known_ = std::move(now);
  return changed;
}

void FileWatcher::Rebase() {
  known_ = Snapshot();
  started_ = true;
}

WatcherThread::WatcherThread(FileWatcher::FileLister lister, std::function<void()> on_change,
                             std::chrono::milliseconds interval)
    : watcher_(std::move(lister)),
      on_change_(std::move(on_change)),
      thread_(
          [this] {
            if (watcher_.Changed()) {
              on_change_();
              watcher_.Rebase();
            }
          },
          interval) {
  watcher_.Rebase();  // the files as the running snapshot read them (near enough)
  thread_.Start();
}

}  // namespace x2gobroker::fcgi
