// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/load_balancer.h"

#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

using namespace x2gobroker::core;

namespace {

using Busy = std::map<std::string, int64_t>;
using Factors = std::map<std::string, LoadFactor>;

LoadFactor F(int64_t v) { return LoadFactor{v, ""}; }
LoadFactor E(const char* word) { return LoadFactor{std::nullopt, word}; }

}  // namespace

TEST_SUITE("core/load_balancer") {
  TEST_CASE("plain counts (findbusyservers or getservers without load checker)") {
    struct Case {
      std::string why;
      std::vector<std::string> hosts;
      Busy busy;
      std::string expected;
    };
    const std::vector<Case> cases = {
        {"lowest count wins", {"ts01", "ts02", "ts03"}, {{"ts01", 40}, {"ts02", 40}, {"ts03", 20}}, "ts03"},
        {"an idle host is absent from the map and counts 0", {"ts01", "ts02", "ts03"}, {{"ts01", 40}, {"ts03", 20}}, "ts02"},
        {"ties by name ascending", {"ts03", "ts02", "ts01"}, {}, "ts01"},
        {"map entries that are not profile hosts are dropped", {"ts02", "ts03"}, {{"ts01", 0}, {"ts02", 5}, {"ts03", 6}}, "ts02"},
        {"short names: FQDN profile hosts, DB names short; the host comes back as written",
         {"ts01.example.org", "ts02.example.org"}, {{"ts01", 3}, {"ts02", 1}}, "ts02.example.org"},
        {"same subdomain on both sides", {"ts01.example.org", "ts02.example.org"},
         {{"ts01.example.org", 3}, {"ts02.example.org", 1}}, "ts02.example.org"},
        {"agent names with two subdomains: no normalisation, so nothing matches and all count 0",
         {"ts01.example.org", "ts02.example.org"}, {{"ts01.a", 0}, {"ts02.b", 9}}, "ts01.example.org"},
        {"profile with two subdomains: literal names", {"ts01.a.org", "ts02.b.org"}, {{"ts01", 5}, {"ts01.a.org", 9}}, "ts02.b.org"},
        {"busy entries collapsing onto one short name add up", {"ts01.example.org", "ts02.example.org"},
         {{"ts01", 2}, {"ts01.example.org", 2}, {"ts02", 3}}, "ts02.example.org"},
        {"a short profile host next to FQDN ones is returned as written", {"ts01", "ts02.example.org"},
         {{"ts02", 5}}, "ts01"},
        {"IP literal hosts stay comparable", {"ts01.example.org", "10.0.0.5"}, {{"ts01", 1}, {"10.0.0.5", 0}}, "10.0.0.5"},
        {"a host listed twice is considered once", {"ts02", "ts01", "ts02"}, {{"ts01", 1}}, "ts02"},
    };
    for (const Case& c : cases) {
      CAPTURE(c.why);
      CHECK(ChooseLeastBusyHost(c.hosts, c.busy, nullptr) == c.expected);
    }
    CHECK_FALSE(ChooseLeastBusyHost({}, {}, nullptr).has_value());
  }

  TEST_CASE("with load factors: weight = (sessions + 1) / factor") {
    struct Case {
      std::string why;
      std::vector<std::string> hosts;
      Busy busy;
      Factors factors;
      std::optional<std::string> expected;
    };
    const std::vector<Case> cases = {
        // ts01: 3/1000 = 0.003, ts02: 1/100 = 0.01: more sessions but much more capacity wins
        {"capacity beats count", {"ts01", "ts02"}, {{"ts01", 2}}, {{"ts01", F(1000)}, {"ts02", F(100)}}, "ts01"},
        {"equal weights: by name", {"ts02", "ts01"}, {{"ts01", 1}, {"ts02", 1}}, {{"ts01", F(50)}, {"ts02", F(50)}}, "ts01"},
        {"a host with an error word is dropped", {"ts01", "ts02"}, {{"ts02", 99}},
         {{"ts01", E(kHostUnreachable)}, {"ts02", F(10)}}, "ts02"},
        {"a missing factor: factors ignored, counts decide", {"ts01", "ts02", "ts03"}, {{"ts01", 2}, {"ts02", 1}, {"ts03", 5}},
         {{"ts01", F(1000000)}, {"ts03", F(1000000)}}, "ts02"},
        {"... and hosts with error words stay dropped", {"ts01", "ts02", "ts03"}, {{"ts02", 1}, {"ts03", 5}},
         {{"ts01", E(kLoadDataBogus)}, {"ts03", F(5)}}, "ts02"},
        {"an empty factor map: counts decide", {"ts01", "ts02"}, {{"ts01", 1}}, {}, "ts02"},
        {"all factors bogus: nothing remains", {"ts01", "ts02"}, {},
         {{"ts01", E(kLoadUnavailable)}, {"ts02", E(kLoadDataBogus)}}, std::nullopt},
        {"factor 0 (would divide by zero in the reference) sorts last", {"ts01", "ts02"}, {},
         {{"ts01", F(0)}, {"ts02", F(1)}}, "ts02"},
        {"negative factor sorts last too", {"ts01", "ts02"}, {}, {{"ts01", F(-5)}, {"ts02", F(1)}}, "ts02"},
        {"all factors 0: by name", {"ts02", "ts01"}, {}, {{"ts01", F(0)}, {"ts02", F(0)}}, "ts01"},
        {"factors keyed by the FQDN as written in the profile", {"ts01.example.org", "ts02.example.org"},
         {{"ts01", 0}, {"ts02", 0}}, {{"ts01.example.org", F(10)}, {"ts02.example.org", F(20)}}, "ts02.example.org"},
        {"factors keyed by the short name", {"ts01.example.org", "ts02.example.org"}, {},
         {{"ts01", F(30)}, {"ts02", F(20)}}, "ts01.example.org"},
    };
    for (const Case& c : cases) {
      CAPTURE(c.why);
      CHECK(ChooseLeastBusyHost(c.hosts, c.busy, &c.factors) == c.expected);
    }
  }

  TEST_CASE("hostile counts do not overflow") {
    Busy busy = {{"ts01", INT64_MAX}, {"ts01.example.org", INT64_MAX}, {"ts02", 1}};
    CHECK(ChooseLeastBusyHost({"ts01.example.org", "ts02.example.org"}, busy, nullptr) == "ts02.example.org");
    Factors factors = {{"ts01", F(1)}, {"ts02", F(INT64_MAX)}};
    // (2^63 - 1 + 1) / (2^63 - 1) is 1.0 in double, like ts01's 1 / 1: a tie, decided by name.
    CHECK(ChooseLeastBusyHost({"ts01", "ts02"}, {{"ts02", INT64_MAX}}, &factors) == "ts01");
  }
}
