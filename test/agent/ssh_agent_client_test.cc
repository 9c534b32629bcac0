// SPDX-License-Identifier: AGPL-3.0-or-later
// Hermetic checks of SshAgentClient (loopback, port 0): the farm tests in
// test/integration/test_agent_client.py cover real sshds.
#include "agent/ssh_agent_client.h"

#include <doctest/doctest.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "core/unique_fd.h"

using namespace x2gobroker;
using namespace x2gobroker::agent;

namespace {

struct KeyDir {
  std::string path;
  KeyDir() {
    char tmpl[] = "/tmp/x2gobroker-keys-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~KeyDir() { std::filesystem::remove_all(path); }
};

// A listening loopback socket on a free port that never accepts (the kernel completes the TCP
// handshake, no SSH banner ever comes).
struct SilentListener {
  core::UniqueFd fd;
  int port = 0;
  SilentListener() {
    fd.reset(::socket(AF_INET, SOCK_STREAM, 0));
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0);
    REQUIRE(::listen(fd.get(), 8) == 0);
    socklen_t len = sizeof(a);
    ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
  }
};

std::shared_ptr<SshAgentClient> MakeClient(const KeyDir& keys, int connect_ms = 500) {
  std::ofstream(keys.path + "/id_ed25519") << "-----BEGIN OPENSSH PRIVATE KEY-----\nnot a key\n";
  SshAgentClientOptions o;
  o.key_directory = keys.path;
  o.known_hosts_file = keys.path + "/known_hosts";
  o.system_known_hosts_file = "";
  o.connect_timeout_ms = connect_ms;
  o.command_timeout_ms = 1000;
  auto c = SshAgentClient::Create(o);
  REQUIRE(c.ok());
  return c.value();
}

}  // namespace

TEST_SUITE("agent/ssh_agent_client") {
  TEST_CASE("Create needs a private key") {
    KeyDir keys;
    SshAgentClientOptions o;
    o.key_directory = keys.path;
    CHECK(SshAgentClient::Create(o).status().code() == core::StatusCode::kUnavailable);
    std::ofstream(keys.path + "/id_rsa") << "x";
    std::ofstream(keys.path + "/id_ed25519") << "x";
    auto c = SshAgentClient::Create(o);
    REQUIRE(c.ok());
    CHECK(c.value()->private_keys() == std::vector<std::string>{keys.path + "/id_ed25519", keys.path + "/id_rsa"});
    o.connect_timeout_ms = 0;
    CHECK(SshAgentClient::Create(o).status().code() == core::StatusCode::kInvalidArgument);
  }

  TEST_CASE("invalid arguments: InvalidArgument, no connection attempted") {
    KeyDir keys;
    SilentListener listener;
    auto client = MakeClient(keys);
    core::AgentTarget t{"ts01", "127.0.0.1", listener.port, "RejectPolicy"};
    CHECK(client->Run(t, core::AgentTask::kListSessions, "bob$(touch /tmp/x)", {}).status().code() ==
          core::StatusCode::kInvalidArgument);
    CHECK(client->Run(t, core::AgentTask::kSuspendSession, "bob", {"x;touch /tmp/x"}).status().code() ==
          core::StatusCode::kInvalidArgument);
    CHECK(client->stats().established == 0);
  }

  TEST_CASE("refused port: Unavailable; silent server: DeadlineExceeded in time") {
    KeyDir keys;
    auto client = MakeClient(keys, 400);
    int free_port = 0;
    {
      SilentListener l;
      free_port = l.port;
    }
    core::AgentTarget refused{"ts01", "127.0.0.1", free_port, "RejectPolicy"};
    CHECK(client->Run(refused, core::AgentTask::kPing, "foo", {}).status().code() == core::StatusCode::kUnavailable);

    SilentListener listener;
    core::AgentTarget silent{"ts01", "127.0.0.1", listener.port, "RejectPolicy"};
    auto start = std::chrono::steady_clock::now();
    auto reply = client->Run(silent, core::AgentTask::kPing, "foo", {});
    auto took = std::chrono::steady_clock::now() - start;
    CHECK(reply.status().code() == core::StatusCode::kDeadlineExceeded);
    CHECK(took >= std::chrono::milliseconds(350));
    CHECK(took < std::chrono::seconds(3));

    core::AgentTarget unresolvable{"nosuchhost.invalid", "nosuchhost.invalid", 22, "RejectPolicy"};
    CHECK(client->Run(unresolvable, core::AgentTask::kPing, "foo", {}).status().code() ==
          core::StatusCode::kUnavailable);
  }
}
