// SPDX-License-Identifier: AGPL-3.0-or-later
// ConnectionPool keeps healthy idle SSH connections per key (policy, name, address, port) so that
// the next agent call to the same server skips TCP, handshake and authentication (§13 row 23).
// A connection is out of the pool while a caller uses it. Idle connections expire after
// idle_timeout and at most max_idle_per_key are kept per key. Thread-safe; connections are
// destroyed (which may talk to the peer for up to a fraction of a second) outside the lock.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <string>

#include "agent/ssh_connection.h"

namespace x2gobroker::agent {

class ConnectionPool final {
 public:
  ConnectionPool(std::chrono::milliseconds idle_timeout, size_t max_idle_per_key)
      : idle_timeout_(idle_timeout), max_idle_per_key_(max_idle_per_key) {}

  // The most recently returned idle connection for `key` that has not expired; nullptr if none.
  SshConnectionPtr Take(const std::string& key);
  // Returns a connection after use. Unhealthy connections, and any over the cap, are closed.
  void Give(const std::string& key, SshConnectionPtr connection);
  // Closes every idle connection for `key` (its server was found restarted or gone).
  void Drop(const std::string& key);
  size_t idle_count() const;

 private:
  struct Idle {
    SshConnectionPtr connection;
    std::chrono::steady_clock::time_point since;
  };
  // Moves expired connections into *doomed. REQUIRES: mutex_ held.
  void ExpireLocked(std::chrono::steady_clock::time_point now, std::deque<Idle>* doomed);

  const std::chrono::milliseconds idle_timeout_;
  const size_t max_idle_per_key_;
  mutable std::mutex mutex_;
  std::map<std::string, std::deque<Idle>> idle_;  // newest at the back
};

}  // namespace x2gobroker::agent
