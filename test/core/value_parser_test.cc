// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/value_parser.h"

#include <doctest/doctest.h>

using namespace x2gobroker::core;

TEST_SUITE("core/value_parser") {
  TEST_CASE("booleans of RawConfigParser") {
    for (const char* t : {"1", "yes", "TRUE", "On"}) CHECK(ParseBool(t) == true);
    for (const char* t : {"0", "no", "False", "OFF"}) CHECK(ParseBool(t) == false);
    for (const char* t : {"", "2", "y", "truee", "not-set"}) CHECK_FALSE(ParseBool(t).has_value());
  }

  TEST_CASE("integers of Python int()") {
    CHECK(ParseInt("22") == 22);
    CHECK(ParseInt(" -5 ") == -5);
    CHECK(ParseInt("+7") == 7);
    CHECK(ParseInt("1_000") == 1000);
    CHECK(ParseInt("0022") == 22);
    for (const char* t : {"", "1__0", "_1", "1_", "0x10", "1.5", "not-set", "99999999999999999999"}) {
      CAPTURE(t);
      CHECK_FALSE(ParseInt(t).has_value());
    }
  }

  TEST_CASE("lists: comma split, single item, safe literals only") {
    CHECK(*ParseList(" a , b,c ") == std::vector<std::string>{"a", "b", "c"});
    CHECK(*ParseList("single") == std::vector<std::string>{"single"});
    CHECK(*ParseList("") == std::vector<std::string>{""});
    CHECK(*ParseList("['a', \"b c\"]") == std::vector<std::string>{"a", "b c"});
    CHECK(*ParseList("[]") == std::vector<std::string>{});
    CHECK_FALSE(ParseList("[__import__('os').system('id')]").has_value());
    CHECK_FALSE(ParseList("['a' + 'b']").has_value());
    CHECK_FALSE(ParseList("['unterminated]").has_value());
  }
}
