// SPDX-License-Identifier: AGPL-3.0-or-later
// check_access for requests OpenSSH has already authenticated (SSH mode, PROTOCOL.md §8.2):
// the password step succeeds without the mechanism; cookies are checked as in §4.1.
#include <doctest/doctest.h>

#include "core/access_check.h"
#include "test/fakes/fakes.h"

using namespace x2gobroker::core;
using x2gobroker::test::FakeAuthenticator;
using x2gobroker::test::FakeCookieStore;

TEST_SUITE("core/access_check") {
  TEST_CASE("preauthenticated: the password step succeeds even without a usable mechanism") {
    BrokerConfig c;  // require-password
    FakeCookieStore store;
    for (AuthenticatorPtr auth : {AuthenticatorPtr(), AuthenticatorPtr(std::make_shared<FakeAuthenticator>(
                                                          std::map<std::string, std::string>{}))}) {
      AccessChecker checker(c, auth, &store, std::nullopt);
      AccessRequest ssh{"alice", "", "", "127.0.0.1", /*preauthenticated=*/true};
      auto granted = checker.Check(ssh);
      REQUIRE(granted.ok());
      CHECK(granted->granted);
      CHECK(granted->next_cookie.has_value());
      AccessRequest web{"alice", "", "", "127.0.0.1"};
      CHECK_FALSE(checker.Check(web)->granted);
    }
  }

  TEST_CASE("preauthenticated: a spent or unknown cookie is still denied (no password to fall back to)") {
    BrokerConfig c;
    FakeCookieStore store;
    AccessChecker checker(c, nullptr, &store, std::nullopt);
    std::string a = *checker.Check({"alice", "", "", "127.0.0.1", true})->next_cookie;
    auto rotated = checker.Check({"alice", "", a, "127.0.0.1", true});
    REQUIRE(rotated->granted);
    CHECK(*rotated->next_cookie != a);
    CHECK_FALSE(checker.Check({"alice", "", a, "127.0.0.1", true})->granted);
    CHECK_FALSE(checker.Check({"alice", "", "00000000-0000-4000-8000-000000000000", "127.0.0.1", true})->granted);
  }

  TEST_CASE("preauthenticated does not bypass require-cookie") {
    BrokerConfig c;
    c.require_cookie = true;
    FakeCookieStore store;
    AccessChecker checker(c, nullptr, &store, std::string("11111111-2222-4333-8444-555555555555"));
    CHECK_FALSE(checker.Check({"alice", "", "", "127.0.0.1", true})->granted);
    CHECK(checker.Check({"alice", "", "11111111-2222-4333-8444-555555555555", "127.0.0.1", true})->granted);
  }
}
