// SPDX-License-Identifier: AGPL-3.0-or-later
// Deadline: a point in steady time that several blocking steps share (connect + handshake +
// auth under one connect time-out, channel + exec + read under one command time-out).
#pragma once

#include <chrono>

namespace x2gobroker::core {

class Deadline {
 public:
  static Deadline In(int ms) { return Deadline(std::chrono::steady_clock::now() + std::chrono::milliseconds(ms)); }
  bool expired() const { return std::chrono::steady_clock::now() >= at_; }
  // Milliseconds left, at least 0, rounded up so that poll() never spins on a fraction.
  int remaining_ms() const {
    auto left = at_ - std::chrono::steady_clock::now();
    if (left <= std::chrono::steady_clock::duration::zero()) return 0;
    return static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(left).count());
  }

 private:
  explicit Deadline(std::chrono::steady_clock::time_point at) : at_(at) {}
  std::chrono::steady_clock::time_point at_;
};

}  // namespace x2gobroker::core
