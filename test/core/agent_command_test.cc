// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/agent_command.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace x2gobroker::core;

namespace {

const char* kSid = "alice-50-1700000000_stDXFCE_dp24";
const char* kKey = "no-X11-forwarding,no-pty,no-user-rc ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK alice@10.0.0.1";

}  // namespace

TEST_SUITE("core/agent_command") {
  TEST_CASE("task names round-trip over the closed set") {
    const std::vector<std::pair<AgentTask, std::string>> table = {
        {AgentTask::kPing, "ping"},
        {AgentTask::kAvailableTasks, "availabletasks"},
        {AgentTask::kListSessions, "listsessions"},
        {AgentTask::kGetServers, "getservers"},
        {AgentTask::kFindBusyServers, "findbusyservers"},
        {AgentTask::kCheckLoad, "checkload"},
        {AgentTask::kAddAuthKey, "addauthkey"},
        {AgentTask::kDelAuthKey, "delauthkey"},
        {AgentTask::kSuspendSession, "suspendsession"},
        {AgentTask::kTerminateSession, "terminatesession"},
    };
    for (const auto& [task, name] : table) {
      CHECK(AgentTaskName(task) == name);
      REQUIRE(AgentTaskFromName(name).has_value());
      CHECK(*AgentTaskFromName(name) == task);
    }
    CHECK_FALSE(AgentTaskFromName("findbusyservers_by_sessionstats"));
    CHECK_FALSE(AgentTaskFromName("PING"));
    CHECK_FALSE(AgentTaskFromName(""));
    CHECK(std::string(kAgentPlaceholderUser) == "foo");
  }

  TEST_CASE("user names: ^[a-z_][a-z0-9_.-]{0,31}\\$?$") {
    struct Case {
      std::string user;
      bool valid;
    };
    const std::vector<Case> table = {
        {"alice", true}, {"foo", true}, {"_svc", true}, {"bob.smith-2", true}, {"host$", true},
        {"a", true}, {std::string(32, 'a'), true}, {std::string(32, 'a') + "$", true},
        {std::string(33, 'a'), false}, {"", false}, {"$", false}, {"Alice", false}, {"1bob", false},
        {"-bob", false}, {".bob", false}, {"../x", false}, {"bob$(id)", false}, {"bob$(touch /tmp/x)", false},
        {"a;b", false}, {"a b", false}, {"bob'", false}, {"bob\"", false}, {"bob\n", false},
        {"bob\r", false}, {std::string("bob\0x", 5), false}, {"bob`id`", false}, {"b$b", false},
        {"bob$$", false}, {"bób", false}, {"bob\\", false}, {"bob|id", false}, {"bob&", false},
    };
    for (const auto& c : table) {
      CAPTURE(c.user);
      CHECK(IsValidAgentUser(c.user) == c.valid);
    }
  }

  TEST_CASE("session ids") {
    struct Case {
      std::string sid;
      bool valid;
    };
    const std::vector<Case> table = {
        {"alice-50-1700000000_stDXFCE_dp24", true},
        {"xf12345alice-2302-1795536707_stDXFCE_dp24", true},
        {"user-name.x-2302-1795536707_stRxterm_dp32", true},
        {"a-12-12345678901234_stS_dp1", true},
        {"a-b-12-1700000000_stDX_stD_dp1_dp24", true},  // classes may repeat the markers
        {"alice-5-1700000000_stDXFCE_dp24", false},      // display has 2..4 digits
        {"alice-12345-1700000000_stDXFCE_dp24", false},
        {"alice-50-170000000_stDXFCE_dp24", false},  // epoch 10+ digits
        {"alice-50-1700000000_stXXFCE_dp24", false},  // type D, R or S
        {"alice-50-1700000000_stDXFCE_dp", false},
        {"alice-50-1700000000_stDXFCE", false},
        {"-50-1700000000_stDXFCE_dp24", false},
        {"alice-50-1700000000_stDXFCE_dp24;touch /tmp/x", false},
        {"alice-50-1700000000_stD;touch /tmp/x_dp24", false},
        {"alice-50-1700000000_stD$(id)_dp24", false},
        {"alice-50-1700000000_stD'x'_dp24", false},
        {"alice-50-1700000000_stDX FCE_dp24", false},
        {"alice-50-1700000000_stDXFCE_dp24\n", false},
        {"", false},
    };
    for (const auto& c : table) {
      CAPTURE(c.sid);
      CHECK(IsValidSessionId(c.sid) == c.valid);
    }
  }

  TEST_CASE("authorized_keys paths") {
    CHECK(IsValidAuthorizedKeysPath("%h/.x2go/authorized_keys"));
    CHECK(IsValidAuthorizedKeysPath("/var/lib/x2go/%u_keys"));
    CHECK_FALSE(IsValidAuthorizedKeysPath(""));
    CHECK_FALSE(IsValidAuthorizedKeysPath("%h/a b"));
    CHECK_FALSE(IsValidAuthorizedKeysPath("%h/$(id)"));
    CHECK_FALSE(IsValidAuthorizedKeysPath("%h/x;rm"));
    CHECK_FALSE(IsValidAuthorizedKeysPath("~/x"));
  }

  TEST_CASE("arguments: user and task first, arity per task") {
    auto ping = AgentArguments(AgentTask::kPing, "foo", {});
    REQUIRE(ping.ok());
    CHECK(*ping == std::vector<std::string>{"foo", "ping"});
    auto suspend = AgentArguments(AgentTask::kSuspendSession, "alice", {kSid});
    REQUIRE(suspend.ok());
    CHECK(*suspend == std::vector<std::string>{"alice", "suspendsession", kSid});
    auto add = AgentArguments(AgentTask::kAddAuthKey, "alice", {kKey, "%h/.x2go/authorized_keys"});
    REQUIRE(add.ok());
    CHECK(add->size() == 4);

    CHECK(AgentArguments(AgentTask::kPing, "foo", {"extra"}).status().code() == StatusCode::kInvalidArgument);
    CHECK(AgentArguments(AgentTask::kListSessions, "alice", {"x"}).status().code() == StatusCode::kInvalidArgument);
    CHECK(AgentArguments(AgentTask::kSuspendSession, "alice", {}).status().code() == StatusCode::kInvalidArgument);
    CHECK(AgentArguments(AgentTask::kTerminateSession, "alice", {kSid, kSid}).status().code() ==
          StatusCode::kInvalidArgument);
    CHECK(AgentArguments(AgentTask::kDelAuthKey, "alice", {kKey}).status().code() == StatusCode::kInvalidArgument);
  }

  TEST_CASE("hostile users and arguments are refused") {
    for (const std::string user : {"bob$(id)", "a;b", "../x", "bob'", "bob\nroot", "", "root bob"}) {
      CAPTURE(user);
      CHECK(AgentArguments(AgentTask::kListSessions, user, {}).status().code() == StatusCode::kInvalidArgument);
    }
    const std::vector<std::string> hostile_keys = {
        "ssh-ed25519 AAAA x';touch /tmp/x;'",
        "ssh-ed25519 AAAA x;touch /tmp/x",
        "ssh-ed25519 AAAA $(touch /tmp/x)",
        "ssh-ed25519 AAAA `touch /tmp/x`",
        "ssh-ed25519 AAAA a!b",
        "ssh-ed25519 AAAA a\\b",
        "ssh-ed25519 AAAA\nssh-rsa BBBB",
        "ssh-ed25519 AAAA\r",
        std::string("ssh-ed25519 AAAA\0", 17),
        "ssh-ed25519 AAAA\tx",
        "ssh-ed25519 AAAA caf\xc3\xa9",
        "",
    };
    for (const std::string& key : hostile_keys) {
      CAPTURE(key);
      CHECK(AgentArguments(AgentTask::kAddAuthKey, "alice", {key, "%h/.x2go/authorized_keys"}).status().code() ==
            StatusCode::kInvalidArgument);
    }
    CHECK(AgentArguments(AgentTask::kAddAuthKey, "alice", {kKey, "%h/x y"}).status().code() ==
          StatusCode::kInvalidArgument);
    CHECK(AgentArguments(AgentTask::kSuspendSession, "alice", {std::string(kSid) + ";touch /tmp/x"}).status().code() ==
          StatusCode::kInvalidArgument);
    // A double quote is fine inside single quotes (from="..." options need it).
    CHECK(AgentArguments(AgentTask::kAddAuthKey, "alice",
                         {"from=\"10.0.0.1\",no-pty ssh-ed25519 AAAA a@b", "%h/.x2go/authorized_keys"})
              .ok());
  }

  TEST_CASE("remote command: every word single-quoted, no sh -c") {
    auto words = AgentArguments(AgentTask::kAddAuthKey, "alice", {"no-pty ssh-ed25519 AAAA c", "%h/.x2go/authorized_keys"});
    REQUIRE(words.ok());
    CHECK(RemoteAgentCommand("/usr/lib/x2go/x2gobroker-agent", *words) ==
          "/usr/lib/x2go/x2gobroker-agent 'alice' 'addauthkey' 'no-pty ssh-ed25519 AAAA c' '%h/.x2go/authorized_keys'");
    CHECK(RemoteAgentCommand("/usr/lib/x2go/x2gobroker-agent", {"foo", "ping"}) ==
          "/usr/lib/x2go/x2gobroker-agent 'foo' 'ping'");
  }
}
