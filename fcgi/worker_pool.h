// SPDX-License-Identifier: AGPL-3.0-or-later
// WorkerPool: N threads answering FastCGI requests on one listen socket (libfcgi's
// examples/threaded.c): each thread owns one FCGX_Request; one thread at a time waits for and
// accepts a connection (no thundering herd).
//
// We accept connections ourselves and hand them to libfcgi (FCGX_Request.ipcFd, the field its
// own keep-alive path uses), and libfcgi's request has no listen socket at all, because:
//  - the listen socket may be shared with sibling processes (--workers, spawn-fcgi -F N,
//    systemd), so stopping must not shutdown() it: each thread poll()s it together with a
//    wake-up pipe, and it is non-blocking so that a connection a sibling took first makes
//    accept() return EAGAIN instead of blocking;
//  - libfcgi reads the request parameters inside FCGX_Accept_r; with its accept under our
//    mutex, one peer that connects and stalls would stop every thread from accepting;
//  - we can make the connection close-on-exec (programs the broker starts must not inherit it)
//    and give it read/write time-outs, so a stalled peer costs one thread for a bounded time.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "core/status.h"
#include "fcgi/snapshot_holder.h"
#include "core/unique_fd.h"

namespace x2gobroker::fcgi {

struct PoolTimeouts {
  // Longest wait for the web server while reading a request or writing an answer. nginx sends
  // buffered requests at once and reads answers at once; 60 s matches its fastcgi_*_timeout.
  std::chrono::milliseconds io = std::chrono::seconds(60);
  // An idle kept-alive connection (fastcgi_keep_conn) is closed after this; it holds a thread.
  std::chrono::milliseconds keep_alive_idle = std::chrono::minutes(5);
};

class WorkerPool {
 public:
  // REQUIRES: FCGX_Init() succeeded; `listen_fd` is a listening, non-blocking socket that
  // outlives the pool; `holder` outlives the pool.
  WorkerPool(int listen_fd, int threads, const SnapshotHolder& holder, PoolTimeouts timeouts = {});
  // Stops accepting and joins the threads if they have finished; see WaitStopped.
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Starts the threads. Fails (Internal) if the wake-up pipe or a thread cannot be created;
  // threads already started are then stopped.
  core::Status Start();

  // Stops accepting new requests; requests in flight are answered. Returns at once.
  void Stop();

  // Waits until every thread has left (after Stop). Returns false if some thread is still
  // answering a request at the deadline; the threads are then abandoned (the caller must
  // terminate the process with _exit, since they still use the pool).
  bool WaitStopped(std::chrono::milliseconds timeout);

  // Requests being answered right now (for the shutdown log line).
  int busy() const { return busy_.load(); }

 private:
  enum class Wait { kReadable, kTimedOut, kStopping };

  void WorkerLoop();
  // Waits for and accepts one connection. Invalid if there was none to take (a sibling was
  // faster, or an error was logged) or the pool is stopping.
  core::UniqueFd AcceptConnection();
  Wait WaitReadable(int fd, int timeout_ms);
  // Sleeps for `duration` unless the pool is stopping.
  void Pause(std::chrono::milliseconds duration);

  const int listen_fd_;
  const int thread_count_;
  const SnapshotHolder& holder_;
  const PoolTimeouts timeouts_;
  core::UniqueFd wake_read_;
  core::UniqueFd wake_write_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> busy_{0};
  std::mutex accept_mutex_;  // one thread at a time in poll + accept
  std::mutex state_mutex_;
  std::condition_variable all_left_;
  int running_ = 0;  // guarded by state_mutex_
  std::vector<std::thread> threads_;
};

}  // namespace x2gobroker::fcgi
