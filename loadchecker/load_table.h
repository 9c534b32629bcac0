// SPDX-License-Identifier: AGPL-3.0-or-later
// LoadTable: the latest load factor per (backend, profile, host), written by the poller and
// read by the socket server's threads. The whole table is replaced at once, so a reader sees
// either the old or the new cycle, never a mix. Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "core/agent_replies.h"

namespace x2gobroker::loadchecker {

using ProfileKey = std::pair<std::string, std::string>;  // backend, profile id
using HostLoads = std::map<std::string, core::LoadFactor>;
using LoadMap = std::map<ProfileKey, HostLoads>;

class LoadTable {
 public:
  LoadTable() : current_(std::make_shared<const LoadMap>()) {}

  void Publish(LoadMap table);
  // The hosts of a polled profile; nullopt for a profile that is not polled.
  std::optional<HostLoads> Lookup(const std::string& backend, const std::string& profile_id) const;
  std::shared_ptr<const LoadMap> Snapshot() const;

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const LoadMap> current_;
};

}  // namespace x2gobroker::loadchecker
