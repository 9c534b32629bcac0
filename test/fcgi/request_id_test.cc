// SPDX-License-Identifier: AGPL-3.0-or-later
#include "fcgi/request_id.h"

#include <doctest/doctest.h>

#include <set>

namespace x2gobroker::fcgi {
namespace {

TEST_SUITE("fcgi/request_id") {
  TEST_CASE("accepts 8 to 32 lower-case hex digits only") {
    struct Case {
      const char* id;
      bool valid;
    };
    const Case cases[] = {
        {"0123abcd", true},
        {"0123456789abcdef0123456789abcdef", true},
        {"0123abc", false},                             // 7
        {"0123456789abcdef0123456789abcdef0", false},   // 33
        {"0123ABCD", false},                            // upper case
        {"0123abcg", false},
        {"0123abc\n", false},
        {"", false},
    };
    for (const Case& c : cases) {
      CAPTURE(c.id);
      CHECK(IsValidRequestId(c.id) == c.valid);
    }
  }

  TEST_CASE("new ids are valid and distinct") {
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) {
      std::string id = NewRequestId();
      CHECK(id.size() == 16);
      CHECK(IsValidRequestId(id));
      seen.insert(id);
    }
    CHECK(seen.size() == 1000);
  }
}

}  // namespace
}  // namespace x2gobroker::fcgi
