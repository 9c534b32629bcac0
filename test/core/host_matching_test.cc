// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/host_matching.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace x2gobroker::core;

using Names = std::vector<std::string>;

TEST_SUITE("core/host_matching") {
  TEST_CASE("normalising a list of names") {
    struct Case {
      Names in;
      Names names;
      std::set<std::string> subdomains;
    };
    const std::vector<Case> cases = {
        {{"server1", "server2"}, {"server1", "server2"}, {}},
        {{"server1.domain1", "server2.domain1"}, {"server1", "server2"}, {"domain1"}},
        {{"ts01.a.example.org", "ts02"}, {"ts01", "ts02"}, {"a.example.org"}},  // split at the first dot
        {{"server1.domain1", "server2.domain2"}, {"server1.domain1", "server2.domain2"}, {"domain1", "domain2"}},
        // IPs are skipped: not split, not counted, not in the short-name result
        {{"10.0.0.5", "ts01.example.org"}, {"ts01"}, {"example.org"}},
        {{"fd00::5", "ts01"}, {"ts01"}, {}},
        {{"10.0.0.5"}, {}, {}},
        // ... but a list with several subdomains comes back unchanged, IPs included
        {{"10.0.0.5", "a.x", "b.y"}, {"10.0.0.5", "a.x", "b.y"}, {"x", "y"}},
        {{"ts01."}, {"ts01"}, {}},  // an empty subdomain does not count
        {{"ts01", "ts01.example.org"}, {"ts01", "ts01"}, {"example.org"}},  // duplicates kept
        {{}, {}, {}},
    };
    for (const Case& c : cases) {
      CAPTURE(c.in.size());
      NormalisedHostnames n = NormaliseHostnames(c.in);
      CHECK(n.names == c.names);
      CHECK(n.subdomains == c.subdomains);
    }
  }

  TEST_CASE("matching(A, B) of §10.6") {
    struct Case {
      std::string why;
      Names a;
      Names b;
      Names expected;
    };
    const std::vector<Case> cases = {
        {"FQDN profile host matches a session on the short name", {"ts01.example.org", "ts02.example.org"}, {"ts01"}, {"ts01"}},
        {"and the other way round", {"ts01"}, {"ts01.example.org"}, {"ts01"}},
        {"short names on both sides", {"ts01", "ts02"}, {"ts02", "ts03"}, {"ts02"}},
        {"result is sorted and unique", {"b", "a", "c"}, {"c", "a", "a"}, {"a", "c"}},
        {"both with one subdomain: literal only", {"ts01.example.org"}, {"ts01.example.org"}, {"ts01.example.org"}},
        {"both with one subdomain, different: no match", {"ts01.example.org"}, {"ts01.other.org"}, {}},
        {"A with two subdomains: literal only", {"ts01.x.org", "ts02.y.org"}, {"ts01", "ts02.y.org"}, {"ts02.y.org"}},
        {"B with two subdomains: literal only", {"ts01"}, {"ts01.x.org", "ts01.y.org"}, {}},
        {"no match at all", {"ts01"}, {"ts02"}, {}},
        {"IP profile host matches the session recorded under that IP", {"10.0.0.5"}, {"10.0.0.5"}, {"10.0.0.5"}},
        {"IP next to FQDN hosts, session only on the IP", {"ts01.example.org", "10.0.0.5"}, {"10.0.0.5"}, {"10.0.0.5"}},
        // The reference would answer only {ts01} here (IPs skipped, short-name result non-empty);
        // we add IP literals common to both lists (see core/host_matching.h).
        {"IP and short name both match", {"ts01.example.org", "10.0.0.5"}, {"ts01", "10.0.0.5"}, {"10.0.0.5", "ts01"}},
        {"IPv6 literal", {"fd00::5", "ts01"}, {"fd00::5"}, {"fd00::5"}},
        {"an IP is not a subdomain name", {"10.0.0.5"}, {"10"}, {}},
        {"case-sensitive like the reference", {"TS01"}, {"ts01"}, {}},
        {"empty lists", {}, {"ts01"}, {}},
    };
    for (const Case& c : cases) {
      CAPTURE(c.why);
      CHECK(MatchingHostnames(c.a, c.b) == c.expected);
    }
  }
}
