// SPDX-License-Identifier: AGPL-3.0-or-later
// Who the SSH broker acts for (PROTOCOL.md §8.2), with the setuid wrapper's hostile environment.
#include "cli/identity.h"

#include <doctest/doctest.h>

using namespace x2gobroker::cli;

namespace {
CallerInfo Caller(std::optional<std::string> logname, std::optional<uid_t> logname_uid, uid_t uid,
                  std::optional<std::string> uid_name) {
  return CallerInfo{std::move(logname), logname_uid, uid, std::move(uid_name)};
}
}  // namespace

TEST_SUITE("cli/identity") {
  TEST_CASE("the broker user is $LOGNAME; --user of an ordinary user is refused with a warning") {
    auto id = ResolveBrokerUser(Caller("alice", 1001, 1001, "alice"), std::nullopt, "x2gobroker");
    REQUIRE(id.ok());
    CHECK(id->user == "alice");
    CHECK(id->warnings.empty());
    id = ResolveBrokerUser(Caller("alice", 1001, 1001, "alice"), "bob", "x2gobroker");
    CHECK(id->user == "alice");
    REQUIRE(id->warnings.size() == 1);
    CHECK(id->warnings[0].find("denying context change to user 'bob'") != std::string::npos);
    // --user naming oneself is no context change
    CHECK(ResolveBrokerUser(Caller("alice", 1001, 1001, "alice"), "alice", "x2gobroker")->warnings.empty());
  }

  TEST_CASE("the daemon user may act for anyone (trusted front-end)") {
    auto id = ResolveBrokerUser(Caller("x2gobroker", 104, 104, "x2gobroker"), "bob", "x2gobroker");
    REQUIRE(id.ok());
    CHECK(id->user == "bob");
    CHECK(id->warnings.empty());
  }

  TEST_CASE("a LOGNAME alias of the same uid is kept") {
    CHECK(ResolveBrokerUser(Caller("alias", 1001, 1001, "alice"), std::nullopt, "x2gobroker")->user == "alias");
  }

  TEST_CASE("regression: LOGNAME=x2gobroker set by an ordinary caller of the setuid wrapper grants nothing") {
    auto id = ResolveBrokerUser(Caller("x2gobroker", 104, 1001, "alice"), "bob", "x2gobroker");
    REQUIRE(id.ok());
    CHECK(id->user == "alice");
    CHECK(id->warnings.size() == 2);  // LOGNAME ignored, --user refused
  }

  TEST_CASE("unset or unknown LOGNAME falls back to the real uid's name") {
    CHECK(ResolveBrokerUser(Caller(std::nullopt, std::nullopt, 1001, "alice"), std::nullopt, "x")->user == "alice");
    auto id = ResolveBrokerUser(Caller("ghost", std::nullopt, 1001, "alice"), std::nullopt, "x");
    CHECK(id->user == "alice");
    CHECK(id->warnings.size() == 1);
  }

  TEST_CASE("no name at all is PermissionDenied") {
    auto id = ResolveBrokerUser(Caller("ghost", std::nullopt, 4242, std::nullopt), std::nullopt, "x");
    REQUIRE_FALSE(id.ok());
    CHECK(id.status().code() == x2gobroker::core::StatusCode::kPermissionDenied);
  }

  TEST_CASE("client address from SSH_CLIENT, else 127.0.0.1") {
    CHECK(*ClientAddressFromSshClient(nullptr) == "127.0.0.1");
    CHECK(*ClientAddressFromSshClient("") == "127.0.0.1");
    CHECK(*ClientAddressFromSshClient("10.1.2.3 51234 22") == "10.1.2.3");
    CHECK(*ClientAddressFromSshClient("2001:db8::1 51234 22") == "2001:db8::1");
    CHECK(*ClientAddressFromSshClient("::ffff:10.1.2.3 1 22") == "10.1.2.3");
    CHECK_FALSE(ClientAddressFromSshClient("not-an-ip 1 22").ok());
    CHECK_FALSE(ClientAddressFromSshClient("10.1.2.3\n 1 22").ok());
  }
}
