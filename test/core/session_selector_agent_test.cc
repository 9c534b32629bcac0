// SPDX-License-Identifier: AGPL-3.0-or-later
// selectsession with an agent (PROTOCOL.md §10.2–§10.5) against a scripted agent.
#include <doctest/doctest.h>

#include <memory>
#include <set>

#include "core/session_selector.h"
#include "test/core/profiles_from_ini.h"
#include "test/fakes/fake_agent.h"
#include "test/fakes/fakes.h"

using namespace x2gobroker::core;
using x2gobroker::test::FakeAgentClient;
using x2gobroker::test::FakeKeyDeletionQueue;
using x2gobroker::test::FakeKeyPairGenerator;
using x2gobroker::test::FakePortProber;
using x2gobroker::test::ProfilesFromIni;

namespace {

SessionProfilePtr One(const std::string& ini) {
  auto built = ProfilesFromIni(ini);
  REQUIRE(built.profiles.profiles.size() == 1);
  return built.profiles.profiles[0];
}

std::string SessionLine(const std::string& sid_display, const std::string& server, char status) {
  return "4242|alice-" + sid_display + "-1795536707_stDXFCE_dp24|" + sid_display + "|" + server + "|" + status +
         "|2026-11-24T16:11:49|93a350777993a0040862c616b8631e65|10.0.0.9|47006|47007|2026-11-25T10:11:49|alice|7|47008";
}

constexpr const char* kFarm = "[p]\nhost=ts01 (10.0.2.1:2201), ts02 (10.0.2.2:2202), ts03 (10.0.2.3:2203)\n";

struct Setup {
  BrokerConfig config;
  std::shared_ptr<FakeAgentClient> agent = std::make_shared<FakeAgentClient>();
  std::shared_ptr<FakeKeyDeletionQueue> deletions = std::make_shared<FakeKeyDeletionQueue>();
  AgentServices services;
  Setup() {
    config.default_agent_query_mode = "SSH";
    config.default_portscan_x2goservers = false;
    services.ssh = agent;
    services.key_generator = std::make_shared<FakeKeyPairGenerator>();
    services.key_deletions = deletions;
  }
  SelectedSession Select(const SessionProfile& p, const std::string& pubkey = "") {
    SessionSelector s(config, nullptr, &services);
    return s.Select(&p, SelectRequest{"inifile", "alice", pubkey, "10.0.0.9"});
  }
};

}  // namespace

TEST_SUITE("core/session_selector with an agent") {
  TEST_CASE("resumes the suspended session on its server and forwards the session line") {
    Setup t;
    t.agent->Answer(AgentTask::kListSessions, {SessionLine("51", "ts01", 'R'), SessionLine("52", "ts03", 'S')});
    auto p = One(kFarm);
    SelectedSession r = t.Select(*p);
    CHECK(r.server == "10.0.2.3");
    CHECK(r.port == 2203);
    REQUIRE(r.session_info);
    CHECK(*r.session_info == SessionLine("52", "ts03", 'S'));
    CHECK(t.agent->CallsOf(AgentTask::kSuspendSession).empty());
    // getservers is asked together with listsessions (prefetch), never after it
    CHECK(t.agent->CallsOf(AgentTask::kGetServers).size() <= t.agent->CallsOf(AgentTask::kListSessions).size());
    for (const auto& c : t.agent->calls()) CHECK(c.user == "alice");
  }

  TEST_CASE("takes over a running session: suspend, re-list until S, answer with |S|") {
    Setup t;
    t.agent->Answer(AgentTask::kListSessions, {SessionLine("51", "ts02", 'R')});
    t.agent->OnCall([](const x2gobroker::test::AgentCall& c, FakeAgentClient& a) {
      if (c.task == AgentTask::kSuspendSession) a.Answer(AgentTask::kListSessions, {SessionLine("51", "ts02", 'S')});
    });
    auto p = One(kFarm);
    SelectedSession r = t.Select(*p);
    CHECK(r.server == "10.0.2.2");
    auto suspends = t.agent->CallsOf(AgentTask::kSuspendSession);
    REQUIRE(suspends.size() == 1);
    CHECK(suspends[0].args == std::vector<std::string>{"alice-51-1795536707_stDXFCE_dp24"});
    CHECK(suspends[0].hostname == t.agent->CallsOf(AgentTask::kListSessions)[0].hostname);  // same agent
    REQUIRE(r.session_info);
    CHECK(*r.session_info == SessionLine("51", "ts02", 'S'));
    CHECK(t.agent->CallsOf(AgentTask::kListSessions).size() == 2);  // first list + one re-list
  }

  TEST_CASE("sessions on servers of another profile are not resumed") {
    Setup t;
    t.agent->Answer(AgentTask::kListSessions, {SessionLine("51", "elsewhere", 'S')});
    t.agent->Answer(AgentTask::kGetServers, {"ts01 3", "ts02 1", "ts03 2", "elsewhere 0"});
    auto p = One(kFarm);
    SelectedSession r = t.Select(*p);
    CHECK_FALSE(r.session_info);
    CHECK(r.server == "10.0.2.2");
  }

  TEST_CASE("load balancing picks the server with the fewest sessions, ties by name") {
    Setup t;
    t.agent->Answer(AgentTask::kGetServers, {"ts01 2", "ts02 2", "ts03 5"});
    auto p = One(kFarm);
    for (int i = 0; i < 10; ++i) CHECK(t.Select(*p).server == "10.0.2.1");
    t.agent->Answer(AgentTask::kGetServers, {"ts01 2", "ts03 5"});  // ts02 idle: absent
    CHECK(t.Select(*p).server == "10.0.2.2");
  }

  TEST_CASE("without per-server counts (SQLite) the choice is random over the farm") {
    Setup t;
    t.agent->Answer(AgentTask::kGetServers, {"ts01", "ts02", "ts03"});
    auto p = One(kFarm);
    std::set<std::string> seen;
    for (int i = 0; i < 200; ++i) seen.insert(t.Select(*p).server);
    CHECK(seen == std::set<std::string>{"10.0.2.1", "10.0.2.2", "10.0.2.3"});
  }

  TEST_CASE("an agent that is down is skipped; all down is no-X2Go-Server-available") {
    Setup t;
    t.agent->Down("ts01");
    t.agent->Down("ts02");
    t.agent->Answer(AgentTask::kGetServers, {"ts01 0", "ts02 0", "ts03 4"});
    auto p = One(kFarm);
    CHECK(t.Select(*p).server == "10.0.2.1");  // ts03's counts: ts01 and ts02 idle, ties by name
    t.agent->Down("ts03");
    SelectedSession r = t.Select(*p);
    CHECK(r.server == "no-X2Go-Server-available");
    CHECK(r.port == 22);
  }

  TEST_CASE("a server that does not answer the port probe is left for the next") {
    Setup t;
    t.config.default_portscan_x2goservers = true;
    FakePortProber prober;
    prober.SetReachable("10.0.2.3", 2203);
    t.agent->Answer(AgentTask::kListSessions, {SessionLine("52", "ts01", 'S')});
    t.agent->Answer(AgentTask::kGetServers, {"ts01 0", "ts02 0", "ts03 9"});
    auto p = One(kFarm);
    SessionSelector s(t.config, &prober, &t.services);
    SelectedSession r = s.Select(p.get(), SelectRequest{"inifile", "alice", "", "10.0.0.9"});
    CHECK(r.server == "10.0.2.3");
    CHECK_FALSE(r.session_info);  // the session on the dead ts01 is a zombie
  }

  TEST_CASE("autologin without a client key: the deletion is recorded before the key is installed") {
    Setup t;
    t.config.default_session_autologin = true;
    t.agent->Answer(AgentTask::kGetServers, {"ts01 1", "ts02 0", "ts03 1"});
    size_t scheduled_before_add = 99;
    t.agent->OnCall([&](const x2gobroker::test::AgentCall& c, FakeAgentClient&) {
      if (c.task == AgentTask::kAddAuthKey) scheduled_before_add = t.deletions->scheduled().size();
    });
    auto p = One(kFarm);
    SelectedSession r = t.Select(*p);
    CHECK(r.server == "10.0.2.2");
    REQUIRE(r.private_key);
    CHECK(r.private_key->rfind("-----BEGIN RSA PRIVATE KEY-----", 0) == 0);
    CHECK_FALSE(r.pubkey_status);
    CHECK(scheduled_before_add == 1);
    auto adds = t.agent->CallsOf(AgentTask::kAddAuthKey);
    REQUIRE(adds.size() == 1);
    CHECK(adds[0].hostname == "ts02");
    CHECK(adds[0].address == "10.0.2.2");
    CHECK(adds[0].port == 2202);
    CHECK(adds[0].args[0].rfind("no-X11-forwarding,no-pty,no-user-rc,no-agent-forwarding,no-port-forwarding", 0) == 0);
    CHECK(adds[0].args[0].find("expiry-time=\"") != std::string::npos);
    CHECK(adds[0].args[1] == "%h/.x2go/authorized_keys");
    auto d = t.deletions->scheduled();
    REQUIRE(d.size() == 1);
    CHECK(d[0].key_line == adds[0].args[0]);
    CHECK(d[0].user == "alice");
    CHECK(d[0].query_mode == "SSH");
  }

  TEST_CASE("autologin with a client key: options replaced, ACCEPTED; a bad key installs nothing") {
    Setup t;
    t.config.default_session_autologin = true;
    auto p = One("[p]\nhost=ts01 (10.0.2.1:2201)\n");
    SelectedSession r = t.Select(
        *p, "command=\"id\",no-pty ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAa/Lf7iw85CXkwp6e63WquM/4BaVrhniJ+ypz6aNCV2 me@pc");
    REQUIRE(r.pubkey_status);
    CHECK(*r.pubkey_status == "ACCEPTED");
    CHECK_FALSE(r.private_key);
    auto adds = t.agent->CallsOf(AgentTask::kAddAuthKey);
    REQUIRE(adds.size() == 1);
    CHECK(adds[0].args[0].find("command=") == std::string::npos);
    CHECK(adds[0].args[0].find("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAa/Lf7iw85CXkwp6e63WquM/4BaVrhniJ+ypz6aNCV2") !=
          std::string::npos);

    Setup bad;
    bad.config.default_session_autologin = true;
    SelectedSession refused = bad.Select(*p, "ssh-ed25519 AAAA$(id)");
    CHECK_FALSE(refused.pubkey_status);
    CHECK(bad.agent->CallsOf(AgentTask::kAddAuthKey).empty());
    CHECK(refused.server == "10.0.2.1");  // the selection itself still works
  }

  TEST_CASE("autologin is skipped when the deletion cannot be recorded") {
    Setup t;
    t.config.default_session_autologin = true;
    t.deletions->Fail();
    auto p = One("[p]\nhost=ts01 (10.0.2.1:2201)\n");
    SelectedSession r = t.Select(*p);
    CHECK_FALSE(r.private_key);
    CHECK(t.agent->CallsOf(AgentTask::kAddAuthKey).empty());
  }

  TEST_CASE("SHADOW profiles and mode NONE never ask an agent") {
    Setup t;
    auto shadow = One("[p]\nhost=ts01,ts02\ncommand=SHADOW\n");
    CHECK(t.Select(*shadow).server == "ts01");
    t.config.default_agent_query_mode = "NONE";
    auto p = One(kFarm);
    t.Select(*p);
    CHECK(t.agent->calls().empty());
  }
}
