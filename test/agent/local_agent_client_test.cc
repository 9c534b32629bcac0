// SPDX-License-Identifier: AGPL-3.0-or-later
#include "agent/local_agent_client.h"

#include <doctest/doctest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

using namespace x2gobroker;
using namespace x2gobroker::agent;

namespace {

// A stand-in agent: a shell script (the real one needs root and group x2gobroker).
struct FakeAgent {
  std::string dir;
  std::string path;
  explicit FakeAgent(const std::string& body) {
    char tmpl[] = "/tmp/x2gobroker-fake-agent-XXXXXX";
    dir = mkdtemp(tmpl);
    path = dir + "/x2gobroker-agent";
    std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
    ::chmod(path.c_str(), 0755);
  }
  ~FakeAgent() { std::filesystem::remove_all(dir); }
  std::shared_ptr<LocalAgentClient> Client(int timeout_ms = 5000) const {
    auto c = LocalAgentClient::Create({path, timeout_ms});
    REQUIRE(c.ok());
    return c.value();
  }
};

}  // namespace

TEST_SUITE("agent/local_agent_client") {
  TEST_CASE("argv is passed without a shell, environment is minimal, stdin is /dev/null") {
    FakeAgent agent(
        "echo OK\n"
        "for a in \"$@\"; do echo \"arg:$a\"; done\n"
        "echo \"path:$PATH\"\n"
        "echo \"home:${HOME:-unset}\"\n"
        "if read line; then echo stdin:data; else echo stdin:eof; fi");
    auto reply = agent.Client()->Run({}, core::AgentTask::kAddAuthKey, "alice",
                                     {"from=\"1.2.3.4\",no-pty ssh-ed25519 AAAA a@b", "%h/.x2go/authorized_keys"});
    REQUIRE(reply.ok());
    CHECK(reply->lines == std::vector<std::string>{"arg:alice", "arg:addauthkey",
                                                   "arg:from=\"1.2.3.4\",no-pty ssh-ed25519 AAAA a@b",
                                                   "arg:%h/.x2go/authorized_keys", "path:/usr/bin:/bin", "home:unset",
                                                   "stdin:eof"});
  }

  TEST_CASE("invalid arguments never start the agent") {
    FakeAgent agent("touch \"$(dirname \"$0\")/ran\"; echo OK");
    auto client = agent.Client();
    auto reply = client->Run({}, core::AgentTask::kListSessions, "bob$(id)", {});
    CHECK(reply.status().code() == core::StatusCode::kInvalidArgument);
    reply = client->Run({}, core::AgentTask::kSuspendSession, "bob", {"bob-50-1700000000_stD;id_dp24"});
    CHECK(reply.status().code() == core::StatusCode::kInvalidArgument);
    CHECK_FALSE(std::filesystem::exists(agent.dir + "/ran"));
  }

  TEST_CASE("stderr is not part of the reply; no OK is Unavailable") {
    FakeAgent ok_agent("echo warning >&2; echo OK; echo line");
    auto reply = ok_agent.Client()->Run({}, core::AgentTask::kPing, "foo", {});
    REQUIRE(reply.ok());
    CHECK(reply->lines == std::vector<std::string>{"line"});
    FakeAgent dying("echo 'no such user on system: nobody at x line 269.' >&2; exit 255");
    reply = dying.Client()->Run({}, core::AgentTask::kListSessions, "nobody", {});
    CHECK(reply.status().code() == core::StatusCode::kUnavailable);
  }

  TEST_CASE("a hanging agent is killed at the time-out") {
    FakeAgent agent("echo OK; exec sleep 30");
    auto start = std::chrono::steady_clock::now();
    auto reply = agent.Client(300)->Run({}, core::AgentTask::kPing, "foo", {});
    auto took = std::chrono::steady_clock::now() - start;
    CHECK(reply.status().code() == core::StatusCode::kDeadlineExceeded);
    CHECK(took < std::chrono::seconds(3));
  }

  TEST_CASE("output over the limit is refused") {
    FakeAgent agent("echo OK; exec head -c 3000000 /dev/zero");
    auto reply = agent.Client()->Run({}, core::AgentTask::kPing, "foo", {});
    CHECK(reply.status().code() == core::StatusCode::kUnavailable);
  }

  TEST_CASE("Create checks the agent command") {
    CHECK(LocalAgentClient::Create({"/nonexistent/agent", 1000}).status().code() == core::StatusCode::kUnavailable);
    CHECK(LocalAgentClient::Create({"relative/agent", 1000}).status().code() == core::StatusCode::kInvalidArgument);
    CHECK(LocalAgentClient::Create({"/bin/true", 0}).status().code() == core::StatusCode::kInvalidArgument);
  }
}
