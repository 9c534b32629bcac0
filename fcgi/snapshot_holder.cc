// SPDX-License-Identifier: AGPL-3.0-or-later
#include "fcgi/snapshot_holder.h"

#include <exception>
#include <utility>

#include "core/log.h"

namespace x2gobroker::fcgi {

SnapshotHolder::SnapshotHolder(HandlerPtr initial, Loader loader)
    : loader_(std::move(loader)), current_(std::move(initial)) {}

HandlerPtr SnapshotHolder::Current() const {
  std::lock_guard<std::mutex> lock(current_mutex_);
  return current_;
}

bool SnapshotHolder::Reload() {
  std::lock_guard<std::mutex> reload_lock(reload_mutex_);
  bool replaced = ReloadLocked();
  if (observer_) observer_(replaced);
  return replaced;
}

bool SnapshotHolder::ReloadLocked() {
  HandlerPtr running = Current();
  core::Result<HandlerPtr> loaded = core::Internal("no loader");
  try {
    if (loader_) loaded = loader_(*running);
  } catch (const std::exception& e) {
    // No exception should cross the core boundary; one that does must not kill the process.
    loaded = core::Internal(std::string("exception while loading: ") + e.what());
  } catch (...) {
    loaded = core::Internal("unknown exception while loading");
  }
  if (loaded.ok() && loaded.value() == nullptr) loaded = core::Internal("loader returned no snapshot");
  if (!loaded.ok()) {
    core::LogError("reload refused: " + loaded.status().message() + "; keeping the running configuration");
    return false;
  }
  HandlerPtr old;
  {
    std::lock_guard<std::mutex> lock(current_mutex_);
    old = std::exchange(current_, std::move(loaded).value());
  }
  // `old` is released here, outside the lock; requests still holding it keep it alive.
  core::LogInfo("configuration reloaded");
  return true;
}

}  // namespace x2gobroker::fcgi
