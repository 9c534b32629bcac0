// SPDX-License-Identifier: AGPL-3.0-or-later
#include "agent/connection_pool.h"

namespace x2gobroker::agent {

void ConnectionPool::ExpireLocked(std::chrono::steady_clock::time_point now, std::deque<Idle>* doomed) {
  for (auto it = idle_.begin(); it != idle_.end();) {
    auto& list = it->second;
    while (!list.empty() && now - list.front().since >= idle_timeout_) {
      doomed->push_back(std::move(list.front()));
      list.pop_front();
    }
    it = list.empty() ? idle_.erase(it) : std::next(it);
  }
}

SshConnectionPtr ConnectionPool::Take(const std::string& key) {
  std::deque<Idle> doomed;  // destroyed after the lock is released
  std::lock_guard<std::mutex> lock(mutex_);
  ExpireLocked(std::chrono::steady_clock::now(), &doomed);
  auto it = idle_.find(key);
  if (it == idle_.end()) return nullptr;
  SshConnectionPtr connection = std::move(it->second.back().connection);
  it->second.pop_back();
  if (it->second.empty()) idle_.erase(it);
  return connection;
}

void ConnectionPool::Give(const std::string& key, SshConnectionPtr connection) {
  std::deque<Idle> doomed;
  if (!connection || !connection->healthy() || max_idle_per_key_ == 0) return;  // closed here
  std::lock_guard<std::mutex> lock(mutex_);
  auto now = std::chrono::steady_clock::now();
  ExpireLocked(now, &doomed);
  auto& list = idle_[key];
  list.push_back({std::move(connection), now});
  while (list.size() > max_idle_per_key_) {
    doomed.push_back(std::move(list.front()));
    list.pop_front();
  }
}

void ConnectionPool::Drop(const std::string& key) {
  std::deque<Idle> doomed;
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = idle_.find(key);
  if (it == idle_.end()) return;
  doomed = std::move(it->second);
  idle_.erase(it);
}

size_t ConnectionPool::idle_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  size_t n = 0;
  for (const auto& [key, list] : idle_) n += list.size();
  return n;
}

}  // namespace x2gobroker::agent
