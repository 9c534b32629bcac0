// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/host_alias.h"

#include <doctest/doctest.h>

#include <string>

using namespace x2gobroker::core;

TEST_SUITE("core/host_alias") {
  TEST_CASE("host name rules of the reference") {
    CHECK(IsReferenceHostname("srv3.example.org"));
    CHECK(IsReferenceHostname("localhost"));
    CHECK_FALSE(IsReferenceHostname("ab"));
    CHECK_FALSE(IsReferenceHostname("10.0.2.11"));
    CHECK_FALSE(IsReferenceHostname("a1.b2"));
    CHECK_FALSE(IsReferenceHostname("-a.org"));
    CHECK(IsDnsLabel("ts01"));
    CHECK_FALSE(IsDnsLabel("ts-"));
    // no exponential backtracking on hostile input
    CHECK_FALSE(IsReferenceHostname(std::string(250, 'a') + "-"));
  }

  TEST_CASE("alias forms") {
    AliasParse a = ParseHostAlias("ts01 (10.0.2.11:2201)", 22);
    CHECK(a.kind == AliasParse::Kind::kAlias);
    CHECK(a.name == "ts01");
    CHECK(a.alias.address == "10.0.2.11");
    CHECK(a.alias.port == 2201);
    AliasParse same_port = ParseHostAlias("ts03 (srv3.example.org:22)", 22);
    CHECK_FALSE(same_port.alias.port.has_value());
    AliasParse v6 = ParseHostAlias("six ([::1]:2222)", 22);
    CHECK(v6.kind == AliasParse::Kind::kAlias);
    CHECK(v6.alias.address == "::1");
    CHECK(v6.alias.port == 2222);
    CHECK(ParseHostAlias("plain.example.org", 22).kind == AliasParse::Kind::kPlain);
    CHECK(ParseHostAlias("127.0.0.1 (10.0.0.1)", 22).kind == AliasParse::Kind::kInvalid);
    CHECK(ParseHostAlias("bad_name (10.0.0.1)", 22).kind == AliasParse::Kind::kInvalid);
    CHECK(ParseHostAlias("ok (10.0.0.1:99999)", 22).kind == AliasParse::Kind::kInvalid);
  }
}
