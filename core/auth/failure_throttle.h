// SPDX-License-Identifier: AGPL-3.0-or-later
// FailureThrottle: the policy with which x2gobroker-authservice slows down password guessing,
// per user name and per client address. Pure logic: the caller passes the time in, so that
// tests can drive it; not thread-safe (the service calls it from its one event-loop thread).
//
// Policy, for each key (a user name, case-folded, or a client address):
// * Only failures count. Once a key has `threshold` failures, each further attempt for it waits
//   until step, 2*step, 4*step, ... (capped at `cap`) after the previous failure (the service
//   passes the time it answers that failure); attempts that arrive together are given
//   consecutive slots instead of running in parallel.
// * An attempt that would have to wait longer than `cap` is refused outright (the service
//   answers "unavailable" without asking PAM), so a queue cannot build up.
// * A key's failures are forgotten `window` after its last failure. A successful login forgets
//   the user's failures (not the client address's: one known password must not reset an
//   address that is guessing other users' passwords).
// * Logins that succeed create no state, so a burst of logins of different valid users is never
//   slowed down; neither is a burst of one user below the threshold.
// * At most `max_keys` keys are remembered; beyond that the expired ones and then the oldest
//   eighth are dropped.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

namespace x2gobroker::core::auth {

class FailureThrottle {
 public:
  using Clock = std::chrono::steady_clock;
  using Duration = std::chrono::milliseconds;

  struct Policy {
    int user_threshold = 5;       // failures of one user name before delays start; 0 = off
    int client_threshold = 20;    // failures from one client address (NAT: many users); 0 = off
    std::chrono::seconds window{900};
    Duration step{1000};          // first delay, doubled with each further failure
    Duration cap{10000};          // longest delay and longest wait; below the broker's time-out
    size_t max_keys = 100000;
  };

  struct Decision {
    bool refused = false;  // the wait would exceed policy.cap: answer without checking
    Duration wait{0};      // how long the attempt waits before PAM is asked
  };

  explicit FailureThrottle(Policy policy) : policy_(policy) {}

  // An attempt arrives at `now`. Reserves its slot (unless refused).
  Decision Admit(std::string_view user, std::string_view client_address, Clock::time_point now);
  // The attempt's result; `now` is when the failure is answered.
  void RecordFailure(std::string_view user, std::string_view client_address, Clock::time_point now);
  void RecordSuccess(std::string_view user, Clock::time_point now);

  // The delay for a key with `failures` failures: 0 below `threshold`, then step * 2^k, capped.
  Duration Backoff(int failures, int threshold) const;
  // Number of remembered keys (for tests).
  size_t size() const { return entries_.size(); }
  const Policy& policy() const { return policy_; }

 private:
  struct Entry {
    int failures = 0;
    Clock::time_point last_failure;
    Clock::time_point next_slot;  // the earliest time the next attempt may be checked
  };

  // The live entry of `key`, or nullptr (an expired one is erased).
  Entry* Find(const std::string& key, Clock::time_point now);
  void Fail(const std::string& key, int threshold, Clock::time_point now);
  void MakeRoom(Clock::time_point now);

  Policy policy_;
  std::unordered_map<std::string, Entry> entries_;
};

// The throttle key of a user name: "u:" + ASCII lower case (PAM back ends such as LDAP or AD
// may ignore case, so "Alice" and "alice" share one budget).
std::string UserThrottleKey(std::string_view user);
std::string ClientThrottleKey(std::string_view client_address);

}  // namespace x2gobroker::core::auth
