// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/ini_parser.h"

#include <doctest/doctest.h>

using namespace x2gobroker::core;

TEST_SUITE("core/ini_parser") {
  TEST_CASE("sections, both separators, comments, DEFAULT, line numbers") {
    auto doc = ParseIni("# c\n[DEFAULT]\nwidth=1024\n\n[p1]\nname : P 1 ; not a comment\n; c\nKey=V\n", "f.conf");
    REQUIRE(doc.ok());
    REQUIRE(doc->defaults.entries.size() == 1);
    CHECK(doc->defaults.entries[0].key == "width");
    REQUIRE(doc->sections.size() == 1);
    const IniSection& p1 = doc->sections[0];
    CHECK(p1.name == "p1");
    CHECK(p1.line == 5);
    CHECK(p1.Find("name")->value == "P 1 ; not a comment");
    CHECK(p1.Find("name")->line == 6);
    CHECK(p1.Find("Key")->value == "V");
    CHECK(p1.Find("key") == nullptr);  // case-sensitive
  }

  TEST_CASE("continuation lines are joined and flagged") {
    auto doc = ParseIni("[a]\nx = 1\n  2\n", "f");
    REQUIRE(doc.ok());
    CHECK(doc->sections[0].entries[0].value == "1\n2");
    CHECK(doc->sections[0].entries[0].continued);
  }

  TEST_CASE("errors name file and line") {
    struct Case {
      const char* text;
      const char* message;
    } cases[] = {
        {"[a]\nx=1\n[a]\n", "f:3: duplicate section [a]"},
        {"[a]\nx=1\nx=2\n", "f:3: duplicate key 'x' in [a]"},
        {"x=1\n", "f:1: key outside of any [section]"},
        {"[a]\njust words\n", "f:2: line is neither a section, a comment nor key=value"},
        {"[a]\n=v\n", "f:2: empty key"},
    };
    for (const Case& c : cases) {
      CAPTURE(c.text);
      auto doc = ParseIni(c.text, "f");
      REQUIRE_FALSE(doc.ok());
      CHECK(doc.status().message() == c.message);
    }
  }

  TEST_CASE("a missing file is an empty document") {
    auto doc = ParseIniFile("/nonexistent/x2gobroker-test.conf");
    REQUIRE(doc.ok());
    CHECK(doc->sections.empty());
  }
}
