// SPDX-License-Identifier: AGPL-3.0-or-later
// selectsession without an agent (PROTOCOL.md §10.2 with query mode NONE).
#include "core/session_selector.h"

#include <doctest/doctest.h>

#include <set>

#include "test/core/profiles_from_ini.h"
#include "test/fakes/fakes.h"

using namespace x2gobroker::core;
using x2gobroker::test::FakePortProber;
using x2gobroker::test::ProfilesFromIni;

namespace {
SessionProfilePtr One(const std::string& ini) {
  auto built = ProfilesFromIni(ini);
  REQUIRE(built.profiles.profiles.size() == 1);
  return built.profiles.profiles[0];
}
}  // namespace

TEST_SUITE("core/session_selector") {
  TEST_CASE("unknown profile and empty host list") {
    BrokerConfig c;
    SessionSelector s(c, nullptr);
    CHECK(s.Select(nullptr).server == "no-server-available");
    CHECK(s.Select(nullptr).port == 22);
    auto p = One("[p]\nhost=\nsshport=2200\n");
    CHECK(s.Select(p.get()).server == "no-server-available");
    CHECK(s.Select(p.get()).port == 2200);
  }

  TEST_CASE("random choice among aliases without probing") {
    BrokerConfig c;
    c.default_portscan_x2goservers = false;
    SessionSelector s(c, nullptr);
    auto p = One("[p]\nhost=ts01 (10.0.2.11:2201), ts02 (10.0.2.12), ts03 (srv3.example.org:22)\n");
    std::set<std::string> seen;
    for (int i = 0; i < 200; ++i) {
      SelectedSession r = s.Select(p.get());
      seen.insert(r.server + ":" + std::to_string(r.port));
    }
    CHECK(seen == std::set<std::string>{"10.0.2.11:2201", "10.0.2.12:22", "srv3.example.org:22"});
  }

  TEST_CASE("port probing fails over and reports no-X2Go-Server-available with the profile port") {
    BrokerConfig c;  // portscan on by default
    FakePortProber prober;
    prober.SetReachable("10.0.2.12", 2222);
    SessionSelector s(c, &prober);
    auto p = One("[p]\nhost=a (10.0.2.11), b (10.0.2.12)\nsshport=2222\n");
    for (int i = 0; i < 20; ++i) CHECK(s.Select(p.get()).server == "10.0.2.12");
    FakePortProber none;
    SessionSelector dead(c, &none);
    SelectedSession r = dead.Select(p.get());
    CHECK(r.server == "no-X2Go-Server-available");
    CHECK(r.port == 2222);
  }

  TEST_CASE("a single host is answered even when it is down; profile switch disables probing") {
    BrokerConfig c;
    FakePortProber none;
    SessionSelector s(c, &none);
    auto p = One("[p]\nhost=solo (192.0.2.7:2022)\n");
    SelectedSession r = s.Select(p.get());
    CHECK(r.server == "192.0.2.7");
    CHECK(r.port == 2022);
    CHECK_FALSE(none.probed().empty());
    FakePortProber counted;
    SessionSelector off(c, &counted);
    auto q = One("[q]\nhost=h1,h2\nbroker-portscan-x2goservers=false\n");
    off.Select(q.get());
    CHECK(counted.probed().empty());
  }

  TEST_CASE("localhost stays localhost for a single-host profile") {
    BrokerConfig c;
    c.default_portscan_x2goservers = false;
    SessionSelector s(c, nullptr);
    auto p = One("[p]\nhost=localhost\n");
    CHECK(s.Select(p.get()).server == "localhost");
  }
}
