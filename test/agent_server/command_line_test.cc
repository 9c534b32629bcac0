// SPDX-License-Identifier: AGPL-3.0-or-later
#include "agent_server/command_line.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace x2gobroker::agent_server {
namespace {

const std::string kKey = "no-X11-forwarding,no-pty ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDl26mMZpwpA3wyuE0RUCT2L/A/NZP5OMe61zzftssfj bob@10.0.0.1";

TEST_SUITE("agent_server/command_line") {
  TEST_CASE("accepts our broker's single-quoted form") {
    auto r = ParseOriginalCommand("/usr/lib/x2go/x2gobroker-agent 'bob' 'addauthkey' '" + kKey +
                                  "' '%h/.x2go/authorized_keys'");
    REQUIRE(r.ok());
    CHECK(r->user == "bob");
    CHECK(r->task == "addauthkey");
    CHECK(r->args == std::vector<std::string>{kKey, "%h/.x2go/authorized_keys"});
  }

  TEST_CASE("accepts the reference broker's sh -c form") {
    auto r = ParseOriginalCommand("sh -c '/usr/lib/x2go/x2gobroker-agent bob addauthkey \"" + kKey +
                                  "\" \"%h/.x2go/authorized_keys\"'");
    REQUIRE(r.ok());
    CHECK(r->user == "bob");
    CHECK(r->task == "addauthkey");
    CHECK(r->args == std::vector<std::string>{kKey, "%h/.x2go/authorized_keys"});

    auto ping = ParseOriginalCommand("sh -c '/usr/lib/x2go/x2gobroker-agent foo ping'");
    REQUIRE(ping.ok());
    CHECK(ping->task == "ping");
    CHECK(ping->args.empty());
  }

  TEST_CASE("accepts unquoted words, a bare agent name, glued quotes and empty words") {
    auto r = ParseOriginalCommand("x2gobroker-agent  bob   suspendsession  bob-50-1462373071_stDXFCE_dp24");
    REQUIRE(r.ok());
    CHECK(r->args == std::vector<std::string>{"bob-50-1462373071_stDXFCE_dp24"});
    auto glued = ParseOriginalCommand("/opt/x/x2gobroker-agent 'b'\"o\"b ping ''");
    REQUIRE(glued.ok());
    CHECK(glued->user == "bob");
    CHECK(glued->args == std::vector<std::string>{""});
  }

  TEST_CASE("the local argv form") {
    auto r = InvocationFromArgv({"bob", "listsessions"});
    REQUIRE(r.ok());
    CHECK(r->user == "bob");
    CHECK(r->task == "listsessions");
    CHECK_FALSE(InvocationFromArgv({"bob"}).ok());
  }

  TEST_CASE("rejects hostile and malformed commands") {
    const char* hostile[] = {
        "id;/usr/lib/x2go/x2gobroker-agent foo ping",
        "/usr/lib/x2go/x2gobroker-agent foo ping;id",
        "/usr/lib/x2go/x2gobroker-agent foo ping | id",
        "/usr/lib/x2go/x2gobroker-agent foo ping && id",
        "/usr/lib/x2go/x2gobroker-agent foo ping & id",
        "/usr/lib/x2go/x2gobroker-agent $(id) ping",
        "/usr/lib/x2go/x2gobroker-agent foo ping \"$(id)\"",
        "/usr/lib/x2go/x2gobroker-agent foo ping \"`id`\"",
        "/usr/lib/x2go/x2gobroker-agent `id` ping",
        "/usr/lib/x2go/x2gobroker-agent foo ping\nid",
        "/usr/lib/x2go/x2gobroker-agent foo ping\rid",
        "/usr/lib/x2go/x2gobroker-agent\tfoo ping",
        "/usr/lib/x2go/x2gobroker-agent foo ping 'unbalanced",
        "/usr/lib/x2go/x2gobroker-agent foo ping \"unbalanced",
        "/usr/lib/x2go/x2gobroker-agent foo ping > /tmp/x",
        "/usr/lib/x2go/x2gobroker-agent foo ping < /etc/shadow",
        "/usr/lib/x2go/x2gobroker-agent foo ping \\; id",
        "/usr/lib/x2go/x2gobroker-agent foo ping \"a\\\"b\"",
        "/usr/lib/x2go/x2gobroker-agent foo ping ~root",
        "/usr/lib/x2go/x2gobroker-agent foo ping *",
        "/usr/lib/x2go/x2gobroker-agent foo ping {a,b}",
        "/usr/lib/x2go/x2gobroker-agent foo ping # comment",
        "/usr/lib/x2go/x2gobroker-agent foo ping $HOME",
        "/usr/lib/x2go/x2gobroker-agent foo",
        "/usr/lib/x2go/x2gobroker-agent",
        "/usr/lib/x2go/x2gobroker-agent-evil foo ping",
        "/bin/sh foo ping",
        "",
        "   ",
        // sh -c variants: only exactly `sh -c '<agent command>'`.
        "sh -c '/usr/lib/x2go/x2gobroker-agent foo ping'\"'\"'; id'",
        "sh -c '/usr/lib/x2go/x2gobroker-agent foo ping'\"'\"",
        "sh -c '/usr/lib/x2go/x2gobroker-agent foo ping;id'",
        "sh -c '/usr/lib/x2go/x2gobroker-agent foo ping' extra",
        "sh -c 'id'",
        "sh -c 'sh -c /usr/lib/x2go/x2gobroker-agent foo ping'",
        "sh -c \"/usr/lib/x2go/x2gobroker-agent foo ping $(id)\"",
        "sh -c '/usr/lib/x2go/x2gobroker-agent foo ping \"$(id)\"'",
        "sh -c '/usr/lib/x2go/x2gobroker-agent foo ping \"`id`\"'",
        "sh -c '/usr/lib/x2go/x2gobroker-agent foo ping \"unbalanced'",
        "bash -c '/usr/lib/x2go/x2gobroker-agent foo ping'",
        "/bin/sh -c '/usr/lib/x2go/x2gobroker-agent foo ping'",
    };
    for (const char* cmd : hostile) {
      CAPTURE(cmd);
      CHECK_FALSE(ParseOriginalCommand(cmd).ok());
    }
    CHECK_FALSE(ParseOriginalCommand(std::string("/usr/lib/x2go/x2gobroker-agent foo ping \0id", 43)).ok());
    CHECK_FALSE(ParseOriginalCommand("/usr/lib/x2go/x2gobroker-agent foo ping '\xc3\xa9'").ok());
    CHECK_FALSE(ParseOriginalCommand("/usr/lib/x2go/x2gobroker-agent foo ping " + std::string(kMaxCommandBytes, 'a')).ok());
  }

  TEST_CASE("a sh -c wrapper whose inner command is a valid agent command with single quotes") {
    auto r = ParseOriginalCommand("sh -c \"/usr/lib/x2go/x2gobroker-agent 'bob' 'ping'\"");
    REQUIRE(r.ok());
    CHECK(r->user == "bob");
  }
}

}  // namespace
}  // namespace x2gobroker::agent_server
