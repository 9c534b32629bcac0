// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/form_parser.h"

#include <doctest/doctest.h>

using namespace x2gobroker::core;

TEST_SUITE("core/form_parser") {
  TEST_CASE("decodes X2Go Client's listsessions body") {
    FormFields f;
    REQUIRE(ParseFormInto("task=listsessions&user=foo&password=&authid=", &f).ok());
    CHECK(f.Get("task") == "listsessions");
    CHECK(f.Get("user") == "foo");
    CHECK(f.Has("password"));
    CHECK(f.Get("password").empty());
    CHECK(f.Get("missing").empty());
  }

  TEST_CASE("plus and %20 are spaces, raw bytes pass, first '=' splits") {
    FormFields f;
    REQUIRE(ParseFormInto("sid=utf8 prof&a=b+c%20d&eq=x=y&u=caf\xc3\xa9", &f).ok());
    CHECK(f.Get("sid") == "utf8 prof");
    CHECK(f.Get("a") == "b c d");
    CHECK(f.Get("eq") == "x=y");
    CHECK(f.Get("u") == "caf\xc3\xa9");
  }

  TEST_CASE("last value wins and merging overwrites earlier fields") {
    FormFields f;
    REQUIRE(ParseFormInto("task=a&task=b", &f).ok());
    CHECK(f.Get("task") == "b");
    REQUIRE(ParseFormInto("task=c", &f).ok());
    CHECK(f.Get("task") == "c");
  }

  TEST_CASE("values are stripped except the password") {
    FormFields f;
    REQUIRE(ParseFormInto("user=%20bob%20&password=%20pw%20&pair-without-value", &f).ok());
    CHECK(f.Get("user") == "bob");
    CHECK(f.Get("password") == " pw ");
    CHECK(f.Has("pair-without-value"));
  }

  TEST_CASE("hostile input is rejected with InvalidArgument") {
    const char* cases[] = {"user=%zz", "user=%4", "user=%", "user=a%00b", "user=%c3%28", "user=a%0Ab",
                           "user=a%01", "x%00=1", "user=\x7f", "password=a%00"};
    for (const char* text : cases) {
      CAPTURE(text);
      FormFields f;
      Status s = ParseFormInto(text, &f);
      CHECK(s.code() == StatusCode::kInvalidArgument);
    }
  }

  TEST_CASE("a password may hold a tab, but no NUL") {
    FormFields f;
    CHECK(ParseFormInto("password=a%09b", &f).ok());
    CHECK(f.Get("password") == "a\tb");
  }

  TEST_CASE("empty pairs are skipped") {
    FormFields f;
    REQUIRE(ParseFormInto("&&task=x&&", &f).ok());
    CHECK(f.size() == 1);
  }
}
