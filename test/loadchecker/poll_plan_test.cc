// SPDX-License-Identifier: AGPL-3.0-or-later
#include "loadchecker/poll_plan.h"

#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "test/core/profiles_from_ini.h"

using namespace x2gobroker;
using namespace x2gobroker::loadchecker;

namespace {

ProfileSource Source(const std::string& backend, const std::string& ini) {
  auto built = test::ProfilesFromIni(ini);
  return {{backend, std::make_shared<const core::ProfileSet>(std::move(built.profiles))}};
}

core::BrokerConfig SshWithLoadChecker() {
  core::BrokerConfig config;
  config.backends["inifile"] = core::BackendSection{};
  config.backends["inifile"].enable = true;
  config.default_agent_query_mode = "SSH";
  config.default_use_load_checker = true;
  return config;
}

core::LoadFactor Value(int64_t v) { return core::LoadFactor{v, ""}; }

}  // namespace

TEST_SUITE("loadchecker/poll_plan") {
  TEST_CASE("only SSH-mode profiles with >= 2 hosts and the load checker on are planned") {
    const ProfileSource source = Source("inifile",
                                        "[pool]\nhost=a (10.0.0.1:2201),b (10.0.0.2)\n"
                                        "[single]\nhost=a\n"
                                        "[off]\nhost=a,b\nbroker-use-load-checker=false\n"
                                        "[local]\nhost=a,b\nbroker-agent-query-mode=LOCAL\n");
    PollPlan plan = BuildPollPlan(SshWithLoadChecker(), source, nullptr);
    REQUIRE(plan.profiles.size() == 1);
    CHECK(plan.profiles[0].backend == "inifile");
    CHECK(plan.profiles[0].profile_id == "pool");
    REQUIRE(plan.targets.size() == 2);
    const core::AgentTarget& a = plan.targets[plan.profiles[0].hosts.at("a")];
    CHECK(a.address == "10.0.0.1");
    CHECK(a.port == 2201);
    CHECK(plan.targets[plan.profiles[0].hosts.at("b")].address == "10.0.0.2");

    core::BrokerConfig none = SshWithLoadChecker();
    none.default_agent_query_mode = "NONE";
    CHECK(BuildPollPlan(none, source, nullptr).profiles.empty());
  }

  TEST_CASE("identical targets are asked once across profiles") {
    const ProfileSource source = Source("inifile",
                                        "[p1]\nhost=a (10.0.0.1),b (10.0.0.2)\n"
                                        "[p2]\nhost=b (10.0.0.2),c (10.0.0.3)\n"
                                        "[p3]\nhost=a (10.0.0.1),c (10.0.0.3)\nsshport=2222\n");
    PollPlan plan = BuildPollPlan(SshWithLoadChecker(), source, nullptr);
    REQUIRE(plan.profiles.size() == 3);
    // a, b, c on port 22, and a, c on port 2222.
    CHECK(plan.targets.size() == 5);
    CHECK(plan.profiles[0].hosts.at("b") == plan.profiles[1].hosts.at("b"));
    CHECK(plan.profiles[0].hosts.at("a") != plan.profiles[2].hosts.at("a"));
  }

  TEST_CASE("table: results, kept values, LOAD-UNAVAILABLE, vanished entries dropped") {
    const ProfileSource source = Source("inifile", "[pool]\nhost=a (10.0.0.1),b (10.0.0.2),c (10.0.0.3)\n");
    PollPlan plan = BuildPollPlan(SshWithLoadChecker(), source, nullptr);
    REQUIRE(plan.targets.size() == 3);
    LoadMap previous;
    previous[{"inifile", "pool"}]["b"] = Value(5);
    previous[{"inifile", "pool"}]["gone"] = Value(6);
    previous[{"inifile", "vanished"}]["a"] = Value(7);
    std::vector<std::optional<core::LoadFactor>> results(plan.targets.size());
    results[plan.profiles[0].hosts.at("a")] = Value(100);
    LoadMap table = TableFor(plan, results, &previous);
    REQUIRE(table.size() == 1);
    const HostLoads& hosts = table.at({"inifile", "pool"});
    REQUIRE(hosts.size() == 3);
    CHECK(hosts.at("a").value == 100);
    CHECK(hosts.at("b").value == 5);
    CHECK(hosts.at("c").error == core::kLoadUnavailable);
  }

  TEST_CASE("profiles that cannot go over the socket are skipped and reported") {
    const ProfileSource source = Source("inifile", "[pool]\nhost=" + std::string(300, 'h') + ",b\n[ok]\nhost=a,b\n");
    std::vector<std::string> skipped;
    PollPlan plan = BuildPollPlan(SshWithLoadChecker(), source, &skipped);
    REQUIRE(plan.profiles.size() == 1);
    CHECK(plan.profiles[0].profile_id == "ok");
    REQUIRE(skipped.size() == 1);
    CHECK(skipped[0].find("inifile/pool") == 0);
  }
}
