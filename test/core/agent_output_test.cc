// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/agent_output.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace x2gobroker::core;

TEST_SUITE("core/agent_output") {
  TEST_CASE("OK and the non-empty lines after it") {
    struct Case {
      std::string text;
      std::vector<std::string> lines;
    };
    const std::vector<Case> table = {
        {"OK\n", {}},
        {"OK", {}},
        {"OK\r\n", {}},
        {"OK\nts01\nts02", {"ts01", "ts02"}},  // SQLite getservers: no final newline
        {"OK\n\n", {}},                         // findbusyservers without sessions
        {"OK\r\nloadavgXX:135\r\nmemAvail:23850\r\n", {"loadavgXX:135", "memAvail:23850"}},
        {"OK\n20:ts03\n\n  \n40:ts01\n", {"20:ts03", "40:ts01"}},
        {"OKAY\nx\n", {"x"}},  // the reference only checks the prefix
        {"OK\n1|a-50-1700000000_stDX_dp24|50|ts01|S\n", {"1|a-50-1700000000_stDX_dp24|50|ts01|S"}},
    };
    for (const auto& c : table) {
      CAPTURE(c.text);
      auto reply = ParseAgentOutput(c.text);
      REQUIRE(reply.ok());
      CHECK(reply->lines == c.lines);
    }
  }

  TEST_CASE("anything else is Unavailable with a short printable message") {
    for (const std::string text : {"", "\n", "ok\n", " OK\n", "Died at line 3\n", "\nOK\n", "no such user\nOK\n"}) {
      CAPTURE(text);
      auto reply = ParseAgentOutput(text);
      REQUIRE_FALSE(reply.ok());
      CHECK(reply.status().code() == StatusCode::kUnavailable);
    }
    auto reply = ParseAgentOutput(std::string("\x1b[31mevil\x01") + std::string(500, 'x') + "\nOK\n");
    REQUIRE_FALSE(reply.ok());
    const std::string& m = reply.status().message();
    CHECK(m.size() < 200);
    for (char c : m) CHECK((c >= 0x20 && c < 0x7f));
  }

  TEST_CASE("output over kMaxAgentOutputBytes is refused before parsing") {
    std::string big = "OK\n" + std::string(kMaxAgentOutputBytes, 'x');
    auto reply = ParseAgentOutput(big);
    REQUIRE_FALSE(reply.ok());
    CHECK(reply.status().code() == StatusCode::kUnavailable);
    std::string fits = "OK\n" + std::string(kMaxAgentOutputBytes - 3, 'x');
    CHECK(ParseAgentOutput(fits).ok());
  }
}
