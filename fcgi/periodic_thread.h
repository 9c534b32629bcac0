// SPDX-License-Identifier: AGPL-3.0-or-later
// PeriodicThread calls `tick` on its own thread every `interval` from Start() until Stop() or
// destruction (which wake it at once and join it). Used for the file watcher and for background
// maintenance (due key deletions).
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace x2gobroker::fcgi {

class PeriodicThread {
 public:
  PeriodicThread(std::function<void()> tick, std::chrono::milliseconds interval);
  ~PeriodicThread();
  void Start();
  PeriodicThread(const PeriodicThread&) = delete;
  PeriodicThread& operator=(const PeriodicThread&) = delete;

  void Stop();

 private:
  void Run();

  std::function<void()> tick_;
  std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace x2gobroker::fcgi
