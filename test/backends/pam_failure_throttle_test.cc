// SPDX-License-Identifier: AGPL-3.0-or-later
// Tests core/auth/failure_throttle.cc with an injected clock.
#include "core/auth/failure_throttle.h"

#include <doctest/doctest.h>

#include <string>

namespace x2gobroker::core::auth {
namespace {

using Clock = FailureThrottle::Clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

const Clock::time_point kT0 = Clock::time_point{} + std::chrono::hours(1000);

FailureThrottle::Policy TestPolicy() {
  FailureThrottle::Policy p;
  p.user_threshold = 3;
  p.client_threshold = 10;
  p.window = seconds(60);
  p.step = milliseconds(1000);
  p.cap = milliseconds(8000);
  return p;
}

TEST_SUITE("core/auth/failure_throttle") {

TEST_CASE("back-off: nothing below the threshold, then doubling up to the cap") {
  FailureThrottle t(TestPolicy());
  CHECK(t.Backoff(0, 3) == milliseconds(0));
  CHECK(t.Backoff(2, 3) == milliseconds(0));
  CHECK(t.Backoff(3, 3) == milliseconds(1000));
  CHECK(t.Backoff(4, 3) == milliseconds(2000));
  CHECK(t.Backoff(5, 3) == milliseconds(4000));
  CHECK(t.Backoff(6, 3) == milliseconds(8000));
  CHECK(t.Backoff(7, 3) == milliseconds(8000));
  CHECK(t.Backoff(1000, 3) == milliseconds(8000));
  CHECK(t.Backoff(50, 0) == milliseconds(0));  // 0 = off
}

TEST_CASE("a user's failures below the threshold cost nothing; beyond it attempts are spaced") {
  FailureThrottle t(TestPolicy());
  Clock::time_point now = kT0;
  for (int i = 0; i < 2; ++i) {
    CHECK(t.Admit("alice", "192.0.2.1", now).wait == milliseconds(0));
    t.RecordFailure("alice", "192.0.2.1", now);
  }
  CHECK(t.Admit("alice", "192.0.2.1", now).wait == milliseconds(0));
  t.RecordFailure("alice", "192.0.2.1", now);  // third failure: threshold reached
  FailureThrottle::Decision d = t.Admit("alice", "192.0.2.1", now);
  CHECK_FALSE(d.refused);
  CHECK(d.wait == milliseconds(1000));
  now += d.wait;
  t.RecordFailure("alice", "192.0.2.1", now);  // fourth: 2 s
  d = t.Admit("alice", "192.0.2.1", now);
  CHECK(d.wait == milliseconds(2000));
}

TEST_CASE("attempts arriving together get consecutive slots; beyond the cap they are refused") {
  FailureThrottle t(TestPolicy());
  for (int i = 0; i < 3; ++i) t.RecordFailure("alice", "", kT0);
  // next slot at kT0 + 1 s; each admitted attempt reserves 1 s more.
  CHECK(t.Admit("alice", "", kT0).wait == milliseconds(1000));
  CHECK(t.Admit("alice", "", kT0).wait == milliseconds(2000));
  CHECK(t.Admit("alice", "", kT0).wait == milliseconds(3000));
  for (int i = 4; i <= 8; ++i) CHECK(t.Admit("alice", "", kT0).wait == milliseconds(i * 1000));
  FailureThrottle::Decision d = t.Admit("alice", "", kT0);
  CHECK(d.refused);  // would wait 9 s > cap 8 s
  CHECK(t.Admit("alice", "", kT0).refused);  // a refusal reserves nothing, but the queue is full
  CHECK_FALSE(t.Admit("alice", "", kT0 + seconds(2)).refused);
}

TEST_CASE("a successful login forgets the user's failures, not the client address's") {
  auto policy = TestPolicy();
  policy.client_threshold = 3;
  FailureThrottle t(policy);
  for (int i = 0; i < 3; ++i) t.RecordFailure("alice", "192.0.2.1", kT0);
  t.RecordSuccess("alice", kT0);
  CHECK(t.Admit("alice", "192.0.2.9", kT0 + seconds(5)).wait == milliseconds(0));
  // the address still pays: it guessed three times
  CHECK(t.Admit("carol", "192.0.2.1", kT0 + milliseconds(500)).wait == milliseconds(500));
}

TEST_CASE("failures are forgotten a window after the last one") {
  FailureThrottle t(TestPolicy());
  for (int i = 0; i < 5; ++i) t.RecordFailure("alice", "", kT0);
  CHECK(t.Admit("alice", "", kT0 + seconds(30)).wait == milliseconds(0));  // slot (kT0 + 4 s) passed
  CHECK(t.size() == 1);
  CHECK(t.Admit("alice", "", kT0 + seconds(61)).wait == milliseconds(0));
  CHECK(t.size() == 0);
  t.RecordFailure("alice", "", kT0 + seconds(62));  // counts from one again
  CHECK(t.Admit("alice", "", kT0 + seconds(62)).wait == milliseconds(0));
}

TEST_CASE("a burst of logins of different valid users is never slowed") {
  FailureThrottle t(TestPolicy());
  for (int i = 0; i < 1000; ++i) {
    std::string user = "user" + std::to_string(i);
    CHECK(t.Admit(user, "10.0.0.1", kT0).wait == milliseconds(0));
    t.RecordSuccess(user, kT0);
  }
  CHECK(t.size() == 0);
}

TEST_CASE("user names share a budget regardless of ASCII case") {
  FailureThrottle t(TestPolicy());
  t.RecordFailure("Alice", "", kT0);
  t.RecordFailure("ALICE", "", kT0);
  t.RecordFailure("alice", "", kT0);
  CHECK(t.Admit("aLiCe", "", kT0).wait == milliseconds(1000));
  CHECK(UserThrottleKey("AbC\xc3\x89") == "u:abc\xc3\x89");
}

TEST_CASE("a client address guessing many users is throttled by its own threshold") {
  FailureThrottle t(TestPolicy());
  for (int i = 0; i < 10; ++i) t.RecordFailure("user" + std::to_string(i), "203.0.113.5", kT0);
  CHECK(t.Admit("someone-new", "203.0.113.5", kT0).wait == milliseconds(1000));
  CHECK(t.Admit("someone-new", "203.0.113.6", kT0).wait == milliseconds(0));
}

TEST_CASE("thresholds of 0 switch the throttle off") {
  auto policy = TestPolicy();
  policy.user_threshold = 0;
  policy.client_threshold = 0;
  FailureThrottle t(policy);
  for (int i = 0; i < 100; ++i) t.RecordFailure("alice", "192.0.2.1", kT0);
  CHECK(t.Admit("alice", "192.0.2.1", kT0).wait == milliseconds(0));
  CHECK(t.size() == 0);
}

TEST_CASE("memory stays bounded under a spray of user names") {
  auto policy = TestPolicy();
  policy.max_keys = 64;
  policy.client_threshold = 0;
  FailureThrottle t(policy);
  for (int i = 0; i < 1000; ++i) t.RecordFailure("spray" + std::to_string(i), "", kT0 + milliseconds(i));
  CHECK(t.size() <= 64);
  // the newest keys survive
  for (int i = 0; i < 2; ++i) t.RecordFailure("spray999", "", kT0 + seconds(1));
  CHECK(t.Admit("spray999", "", kT0 + seconds(1)).wait == milliseconds(1000));
}

}  // TEST_SUITE

}  // namespace
}  // namespace x2gobroker::core::auth
