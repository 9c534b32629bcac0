// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/hedged_race.h"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace x2gobroker::core {
namespace {

// Shared by the caller and the attempt threads; the last one to let go frees it.
struct RaceState {
  std::mutex mutex;
  std::condition_variable changed;
  std::function<bool(size_t)> attempt;
  size_t finished = 0;
  size_t failures_since_last_start = 0;
  std::optional<size_t> winner;
};

void StartAttempt(const std::shared_ptr<RaceState>& state, size_t index) {
  std::thread([state, index] {
    bool ok = state->attempt(index);
    std::lock_guard<std::mutex> lock(state->mutex);
    ++state->finished;
    if (ok && !state->winner) state->winner = index;
    if (!ok) ++state->failures_since_last_start;
    state->changed.notify_all();
  }).detach();
}

}  // namespace

std::optional<size_t> HedgedRace(size_t candidates, std::function<bool(size_t)> attempt,
                                 std::chrono::milliseconds hedge_delay) {
  if (candidates == 0) return std::nullopt;
  auto state = std::make_shared<RaceState>();
  state->attempt = std::move(attempt);
  size_t started = 0;
  std::unique_lock<std::mutex> lock(state->mutex);
  while (true) {
    if (started < candidates) StartAttempt(state, started++);
    state->failures_since_last_start = 0;
    auto deadline = std::chrono::steady_clock::now() + hedge_delay;
    // Wake up for a winner, for a failure (start the next at once), or when all are done.
    while (!state->winner && state->finished < started && state->failures_since_last_start == 0) {
      if (started < candidates) {
        if (state->changed.wait_until(lock, deadline) == std::cv_status::timeout) break;
      } else {
        state->changed.wait(lock);
      }
    }
    if (state->winner) return state->winner;
    if (state->finished == candidates) return std::nullopt;
  }
}

}  // namespace x2gobroker::core
