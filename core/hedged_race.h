// SPDX-License-Identifier: AGPL-3.0-or-later
// HedgedRace: ask candidates one at a time, but never wait long for a slow one. Used to find a
// farm member whose agent answers (PROTOCOL.md §10.1) without putting load on every server of
// the farm per request (one call when the first candidate is healthy) and without waiting a
// whole time-out behind a hung server (the next candidate starts after `hedge_delay`, or at
// once when one fails).
#pragma once

#include <chrono>
#include <functional>
#include <optional>

namespace x2gobroker::core {

// Runs attempt(0), attempt(1), ... as described above, each on its own thread, and returns the
// index of the first attempt that returned true, or nullopt once all have returned false.
// Attempts still running after a winner is found finish in the background, so `attempt` must
// own (capture by value) everything it touches, and must not write into the caller's state
// except under its own synchronisation.
std::optional<size_t> HedgedRace(size_t candidates, std::function<bool(size_t)> attempt,
                                 std::chrono::milliseconds hedge_delay);

}  // namespace x2gobroker::core
