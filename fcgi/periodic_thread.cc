// SPDX-License-Identifier: AGPL-3.0-or-later
#include "fcgi/periodic_thread.h"

namespace x2gobroker::fcgi {

PeriodicThread::PeriodicThread(std::function<void()> tick, std::chrono::milliseconds interval)
    : tick_(std::move(tick)), interval_(interval) {}

void PeriodicThread::Start() { thread_ = std::thread([this] { Run(); }); }

PeriodicThread::~PeriodicThread() { Stop(); }

void PeriodicThread::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void PeriodicThread::Run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
    lock.unlock();
    tick_();
    lock.lock();
  }
}

}  // namespace x2gobroker::fcgi
