// SPDX-License-Identifier: AGPL-3.0-or-later
// SnapshotHolder owns the running configuration snapshot (a core::Broker in production, any
// core::RequestHandler in tests) and replaces it on reload. Each request takes its own
// reference with Current() when it starts, so requests in flight finish on the snapshot they
// began with while new ones get the new one. Thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <mutex>

#include "core/http.h"
#include "core/status.h"

namespace x2gobroker::fcgi {

using HandlerPtr = std::shared_ptr<const core::RequestHandler>;

class SnapshotHolder {
 public:
  // Builds a new snapshot from the files on disk. `previous` is the running snapshot (never
  // null), to carry good profiles across a reload of a broken profile file. On failure returns
  // a Status whose message is "file:line: problem".
  using Loader = std::function<core::Result<HandlerPtr>(const core::RequestHandler& previous)>;

  // REQUIRES: initial != nullptr.
  SnapshotHolder(HandlerPtr initial, Loader loader);

  // The snapshot to answer one request with. Never null.
  HandlerPtr Current() const;

  // Builds a new snapshot with the loader and swaps it in. On failure keeps the running one and
  // logs one line "reload refused: <problem>; keeping the running configuration". Reloads are
  // serialised (the signal thread and the file watcher may ask at the same time).
  // Returns true if the snapshot was replaced.
  bool Reload();

  // Called after each Reload with its outcome (true: replaced), e.g. to count reloads in the
  // metrics. REQUIRES: set before other threads use the holder.
  void set_reload_observer(std::function<void(bool replaced)> observer) { observer_ = std::move(observer); }

 private:
  bool ReloadLocked();

  Loader loader_;
  std::function<void(bool)> observer_;
  std::mutex reload_mutex_;        // one reload at a time; held while loading
  mutable std::mutex current_mutex_;  // guards current_ only; never held while loading
  HandlerPtr current_;
};

}  // namespace x2gobroker::fcgi
