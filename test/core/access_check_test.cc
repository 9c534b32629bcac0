// SPDX-License-Identifier: AGPL-3.0-or-later
// check_access of PROTOCOL.md §4.1, with a fake authenticator and cookie store.
#include "core/access_check.h"

#include <doctest/doctest.h>

#include "core/secure_random.h"
#include "test/fakes/fakes.h"

using namespace x2gobroker::core;
using x2gobroker::test::FakeAuthenticator;
using x2gobroker::test::FakeCookieStore;

namespace {
AuthenticatorPtr TestAuth() { return std::make_shared<FakeAuthenticator>(std::map<std::string, std::string>{{"test", "sweet"}}); }
}  // namespace

TEST_SUITE("core/access_check") {
  TEST_CASE("no credentials required: granted, no cookie") {
    BrokerConfig c;
    c.require_password = false;
    AccessChecker checker(c, nullptr, nullptr, std::nullopt);
    auto d = checker.Check({"foo", "", "", "127.0.0.1"});
    REQUIRE(d.ok());
    CHECK(d->granted);
    CHECK_FALSE(d->next_cookie.has_value());
  }

  TEST_CASE("password login issues a single-use, rotating cookie (PROTOCOL.md 4.1 sequence)") {
    BrokerConfig c;
    FakeCookieStore store;
    AccessChecker checker(c, TestAuth(), &store, std::nullopt);
    auto first = checker.Check({"test", "sweet", "", "127.0.0.1"});
    REQUIRE(first.ok());
    REQUIRE(first->granted);
    std::string a = *first->next_cookie;
    CHECK(LooksLikeUuid(a));
    // cookie A with an empty password → granted with B
    auto second = checker.Check({"test", "", a, "127.0.0.1"});
    REQUIRE(second->granted);
    CHECK(*second->next_cookie != a);
    // A again without password → denied (spent)
    CHECK_FALSE(checker.Check({"test", "", a, "127.0.0.1"})->granted);
    // A again with the right password → our improvement: password verified instead
    CHECK(checker.Check({"test", "sweet", a, "127.0.0.1"})->granted);
    CHECK_FALSE(checker.Check({"test", "wrong", "", "127.0.0.1"})->granted);
    CHECK_FALSE(checker.Check({"nobody", "sweet", "", "127.0.0.1"})->granted);
  }

  TEST_CASE("a cookie is bound to its user and, with verify-ip, to its address") {
    BrokerConfig c;
    FakeCookieStore store;
    AccessChecker checker(c, TestAuth(), &store, std::nullopt);
    std::string a = *checker.Check({"test", "sweet", "", "127.0.0.1"})->next_cookie;
    CHECK_FALSE(checker.Check({"bob", "", a, "127.0.0.1"})->granted);
    CHECK(store.records_.count(a) == 1);  // not consumed by the wrong user
    CHECK_FALSE(checker.Check({"test", "", a, "127.0.0.2"})->granted);
    CHECK(store.records_.count(a) == 0);  // consumed even though the check failed
  }

  TEST_CASE("expired cookies are refused") {
    BrokerConfig c;
    c.auth_timeout = -1;
    FakeCookieStore store;
    AccessChecker checker(c, TestAuth(), &store, std::nullopt);
    std::string a = *checker.Check({"test", "sweet", "", "127.0.0.1"})->next_cookie;
    CHECK_FALSE(checker.Check({"test", "", a, "127.0.0.1"})->granted);
  }

  TEST_CASE("static cookie modes") {
    BrokerConfig c;
    c.require_cookie = true;
    c.require_password = false;
    const std::string s = "0f7c1d5e-1111-4222-8333-444455556666";
    AccessChecker cookie_only(c, nullptr, nullptr, s);
    CHECK_FALSE(cookie_only.Check({"u", "", "", "1.2.3.4"})->granted);
    CHECK_FALSE(cookie_only.Check({"u", "", "wrong", "1.2.3.4"})->granted);
    auto ok = cookie_only.Check({"u", "", s, "1.2.3.4"});
    CHECK(ok->granted);
    CHECK(*ok->next_cookie == s);

    // require-cookie + require-password: the reference answers 500 here; we log in.
    c.require_password = true;
    FakeCookieStore store;
    AccessChecker both(c, TestAuth(), &store, s);
    auto login = both.Check({"test", "sweet", s, "1.2.3.4"});
    REQUIRE(login->granted);
    CHECK(*login->next_cookie != s);
    CHECK(both.Check({"test", "", *login->next_cookie, "1.2.3.4"})->granted);
    // the cookie stays mandatory: no password fall-back for a spent cookie
    CHECK_FALSE(both.Check({"test", "sweet", *login->next_cookie, "1.2.3.4"})->granted);
  }

  TEST_CASE("the UCCS anonymous probe is denied when credentials are required") {
    BrokerConfig c;
    AccessChecker checker(c, std::make_shared<FakeAuthenticator>(std::map<std::string, std::string>{{"check-credentials", "FALSE"}}), nullptr, std::nullopt);
    CHECK_FALSE(checker.Check({"check-credentials", "FALSE", "", "1.2.3.4"})->granted);
  }

  TEST_CASE("issuing a cookie without a store is Unavailable, not a silent grant") {
    BrokerConfig c;
    AccessChecker checker(c, TestAuth(), nullptr, std::nullopt);
    auto d = checker.Check({"test", "sweet", "", "1.2.3.4"});
    CHECK(d.status().code() == StatusCode::kUnavailable);
  }
}
