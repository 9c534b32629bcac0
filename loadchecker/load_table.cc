// SPDX-License-Identifier: AGPL-3.0-or-later
#include "loadchecker/load_table.h"

namespace x2gobroker::loadchecker {

void LoadTable::Publish(LoadMap table) {
  auto next = std::make_shared<const LoadMap>(std::move(table));
  std::lock_guard<std::mutex> lock(mutex_);
  current_.swap(next);
  // `next` now holds the old table; it is destroyed after `lock` (reverse order), outside it.
}

std::optional<HostLoads> LoadTable::Lookup(const std::string& backend, const std::string& profile_id) const {
  std::shared_ptr<const LoadMap> table = Snapshot();
  auto it = table->find(ProfileKey{backend, profile_id});
  if (it == table->end()) return std::nullopt;
  return it->second;
}

std::shared_ptr<const LoadMap> LoadTable::Snapshot() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return current_;
}

}  // namespace x2gobroker::loadchecker
