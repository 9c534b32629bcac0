// SPDX-License-Identifier: AGPL-3.0-or-later
#include "agent_server/busy_servers.h"

#include <doctest/doctest.h>

namespace x2gobroker::agent_server {
namespace {

TEST_SUITE("agent_server/busy_servers") {
  TEST_CASE("the §9.3 example: percentages truncated, sorted as strings") {
    CHECK(FormatBusyServers(ParseServerCounts("ts03 1\nts02 2\nts01 2")) == "20:ts03\n40:ts01\n40:ts02\n");
  }

  TEST_CASE("string sort, not numeric: 100 sorts before 9") {
    CHECK(FormatBusyServers(ParseServerCounts("a 1\nb 10\n")) == "90:b\n9:a\n");
    CHECK(FormatBusyServers(ParseServerCounts("only 7\n")) == "100:only\n");
  }

  TEST_CASE("no sessions, or SQLite names without counts: one empty line, no division by zero") {
    CHECK(FormatBusyServers(ParseServerCounts("")) == "\n");
    CHECK(FormatBusyServers(ParseServerCounts("vm")) == "\n");
    CHECK(FormatBusyServers(ParseServerCounts("vm\nvm2\n")) == "\n");
  }

  TEST_CASE("idle servers and bogus counts are left out; duplicates summed") {
    CHECK(FormatBusyServers(ParseServerCounts("a 0\nb 3\nc x\n\n")) == "100:b\n");
    const auto counts = ParseServerCounts("a 1\na 2\nb 1\n");
    REQUIRE(counts.size() == 2);
    CHECK(counts[0].count == 3);
    CHECK(FormatBusyServers(counts) == "25:b\n75:a\n");
  }
}

}  // namespace
}  // namespace x2gobroker::agent_server
