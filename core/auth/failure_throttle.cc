// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/auth/failure_throttle.h"

#include <algorithm>
#include <vector>

namespace x2gobroker::core::auth {
namespace {
// Failures beyond this add nothing (the delay is long capped) and cannot overflow.
constexpr int kMaxCountedFailures = 1000;
}  // namespace

std::string UserThrottleKey(std::string_view user) {
  std::string key = "u:";
  for (char c : user) key += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return key;
}

std::string ClientThrottleKey(std::string_view client_address) { return "c:" + std::string(client_address); }

FailureThrottle::Duration FailureThrottle::Backoff(int failures, int threshold) const {
  if (threshold <= 0 || failures < threshold) return Duration{0};
  const int doublings = failures - threshold;
  Duration delay = policy_.step;
  for (int i = 0; i < doublings && delay < policy_.cap; ++i) delay *= 2;
  return std::min(delay, policy_.cap);
}

FailureThrottle::Entry* FailureThrottle::Find(const std::string& key, Clock::time_point now) {
  auto it = entries_.find(key);
  if (it == entries_.end()) return nullptr;
  if (now - it->second.last_failure > policy_.window && now >= it->second.next_slot) {
    entries_.erase(it);
    return nullptr;
  }
  return &it->second;
}

FailureThrottle::Decision FailureThrottle::Admit(std::string_view user, std::string_view client_address,
                                                 Clock::time_point now) {
  struct Slot {
    Entry* entry;
    Duration delay;
  };
  Slot slots[2] = {{nullptr, Duration{0}}, {nullptr, Duration{0}}};
  if (policy_.user_threshold > 0) {
    if (Entry* e = Find(UserThrottleKey(user), now)) slots[0] = {e, Backoff(e->failures, policy_.user_threshold)};
  }
  if (policy_.client_threshold > 0 && !client_address.empty()) {
    if (Entry* e = Find(ClientThrottleKey(client_address), now)) {
      slots[1] = {e, Backoff(e->failures, policy_.client_threshold)};
    }
  }
  Clock::time_point start = now;
  for (const Slot& s : slots) {
    if (s.entry != nullptr && s.delay > Duration{0}) start = std::max(start, s.entry->next_slot);
  }
  Decision decision;
  decision.wait = std::chrono::duration_cast<Duration>(start - now);
  if (decision.wait > policy_.cap) {
    decision.refused = true;
    return decision;
  }
  for (const Slot& s : slots) {
    if (s.entry != nullptr && s.delay > Duration{0}) {
      s.entry->next_slot = std::max(s.entry->next_slot, start + s.delay);
    }
  }
  return decision;
}

void FailureThrottle::Fail(const std::string& key, int threshold, Clock::time_point now) {
  Entry* e = Find(key, now);
  if (e == nullptr) {
    if (entries_.size() >= policy_.max_keys) MakeRoom(now);
    e = &entries_[key];
  }
  e->failures = std::min(e->failures + 1, kMaxCountedFailures);
  e->last_failure = now;
  e->next_slot = std::max(e->next_slot, now + Backoff(e->failures, threshold));
}

void FailureThrottle::RecordFailure(std::string_view user, std::string_view client_address, Clock::time_point now) {
  if (policy_.user_threshold > 0) Fail(UserThrottleKey(user), policy_.user_threshold, now);
  if (policy_.client_threshold > 0 && !client_address.empty()) {
    Fail(ClientThrottleKey(client_address), policy_.client_threshold, now);
  }
}

void FailureThrottle::RecordSuccess(std::string_view user, Clock::time_point) {
  entries_.erase(UserThrottleKey(user));
}

void FailureThrottle::MakeRoom(Clock::time_point now) {
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (now - it->second.last_failure > policy_.window && now >= it->second.next_slot) {
      it = entries_.erase(it);
    } else {
      ++it;
    }
  }
  if (entries_.size() < policy_.max_keys) return;
  // Still full of live keys (a spray of user names): forget the oldest eighth at once, so
  // that this O(n) pass runs at most once per max_keys/8 new keys.
  std::vector<std::pair<Clock::time_point, std::string>> by_age;
  by_age.reserve(entries_.size());
  for (const auto& [key, entry] : entries_) by_age.emplace_back(entry.last_failure, key);
  const size_t drop = std::max<size_t>(1, entries_.size() / 8);
  std::nth_element(by_age.begin(), by_age.begin() + static_cast<std::ptrdiff_t>(drop - 1), by_age.end());
  for (size_t i = 0; i < drop; ++i) entries_.erase(by_age[i].second);
}

}  // namespace x2gobroker::core::auth
