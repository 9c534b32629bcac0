// SPDX-License-Identifier: AGPL-3.0-or-later
// LoadServer: answers REQ_PROFILE_LOAD on the load checker's UNIX socket from a LoadTable
// (core/load_checker_protocol.h). A fixed number of threads share the non-blocking listen
// socket; each serves one connection at a time:
//   accept → SO_PEERCRED uid allowed? (no: close without a reply, log) → one whole request
//   within the time-out (malformed, too slow, or anything after it: close without a reply,
//   log) → ANS_LOADS or ANS_UNKNOWN_PROFILE → close.
// So at most `threads` connections are served at once (more wait in the listen backlog), and
// one slow peer holds a thread for at most the time-out.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <set>
#include <thread>
#include <vector>

#include "core/status.h"
#include "core/unique_fd.h"
#include "loadchecker/load_table.h"

namespace x2gobroker::loadchecker {

struct LoadServerConfig {
  std::set<uid_t> allowed_uids;  // the daemon's own uid and root
  int threads = 4;
  std::chrono::milliseconds timeout{2000};  // whole exchange per connection
};

class LoadServer {
 public:
  // REQUIRES: `listen_fd` is a listening, non-blocking UNIX stream socket; it and `table`
  // outlive the server.
  LoadServer(LoadServerConfig config, int listen_fd, const LoadTable& table);
  ~LoadServer();  // Stop()
  LoadServer(const LoadServer&) = delete;
  LoadServer& operator=(const LoadServer&) = delete;

  // Starts the threads. Internal if the wake-up descriptor cannot be made.
  core::Status Start();
  // Stops accepting, lets the threads finish their connection (bounded by the time-out) and
  // joins them. Idempotent.
  void Stop();

 private:
  void ThreadMain();
  void Serve(core::UniqueFd connection, pid_t peer_pid);

  const LoadServerConfig config_;
  const int listen_fd_;
  const LoadTable& table_;
  core::UniqueFd stop_;  // eventfd, readable once Stop() ran
  std::vector<std::thread> threads_;
};

}  // namespace x2gobroker::loadchecker
