// SPDX-License-Identifier: AGPL-3.0-or-later
// Tests backends/auth_pam/pam_authenticator.cc against a fake auth service on a UNIX socket in
// a temporary directory, with a fake in-process PAM for the fallback; and the registration of
// the authentication mechanisms in backends/register_builtin.cc.
#include "backends/auth_pam/pam_authenticator.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <functional>
#include <string>
#include <thread>

#include "../config/temp_dir.h"
#include "core/unique_fd.h"
#include "backends/register_builtin.h"
#include "core/auth/pam_protocol.h"
#include "core/broker_config.h"

namespace x2gobroker::backends::auth_pam {
namespace {

namespace auth = core::auth;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

core::UniqueFd ListenOn(const std::string& path, bool listen_too = true) {
  core::UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::strncpy(a.sun_path, path.c_str(), sizeof a.sun_path - 1);
  REQUIRE(::bind(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  if (listen_too) REQUIRE(::listen(fd.get(), 8) == 0);
  return fd;
}

// Reads one whole frame (header + body) or returns what arrived before EOF.
std::string ReadFrame(int fd) {
  std::string data;
  char buffer[4096];
  size_t want = auth::kFrameHeaderBytes;
  while (data.size() < want) {
    ssize_t n = ::recv(fd, buffer, want - data.size(), 0);
    if (n <= 0) break;
    data.append(buffer, static_cast<size_t>(n));
    if (data.size() == auth::kFrameHeaderBytes) {
      auto body = auth::DecodeFrameHeader(data);
      if (!body.ok()) break;
      want += *body;
    }
  }
  return data;
}

// A fake auth service: serves `connections` connections with `reply` (given the decoded
// request, returns the bytes to send; "" = close without a reply; "hang" = keep it open).
class FakeService {
 public:
  using Reply = std::function<std::string(const auth::AuthenticateRequest&)>;
  FakeService(const std::string& path, Reply reply, int connections = 1)
      : listener_(ListenOn(path)), reply_(std::move(reply)) {
    thread_ = std::thread([this, connections] {
      for (int i = 0; i < connections; ++i) {
        core::UniqueFd conn(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
        if (!conn.valid()) return;
        ++accepted_;
        std::string frame = ReadFrame(conn.get());
        auto request = auth::DecodeAuthenticateRequest(frame);
        if (!request.ok()) continue;
        last_user_ = request->user;
        last_password_ = std::string(request->password.view());
        last_client_ = request->client_address;
        std::string out = reply_(request.value());
        if (out == "hang") {
          held_ = std::move(conn);
          continue;
        }
        if (!out.empty()) ::send(conn.get(), out.data(), out.size(), MSG_NOSIGNAL);
      }
    });
  }
  ~FakeService() {
    ::shutdown(listener_.get(), SHUT_RDWR);
    thread_.join();
  }
  int accepted() const { return accepted_; }
  std::string last_user_, last_password_, last_client_;

 private:
  core::UniqueFd listener_;
  core::UniqueFd held_;
  Reply reply_;
  std::atomic<int> accepted_{0};
  std::thread thread_;
};

struct FallbackProbe {
  std::atomic<int> calls{0};
  PamVerdict verdict = PamVerdict::kFailure;
  InProcessPam Function() {
    return [this](const std::string&, const core::SecretString&, const std::string&) {
      ++calls;
      PamCheckResult r;
      r.verdict = verdict;
      r.pam_message = verdict == PamVerdict::kUnavailable ? "pam_start failed" : "";
      return r;
    };
  }
};

PamAuthenticator Make(const std::string& path, FallbackProbe* probe, milliseconds timeout = milliseconds(2000)) {
  PamAuthenticatorOptions o;
  o.socket_path = path;
  o.answer_timeout = timeout;
  o.fallback_min_failure_time = milliseconds(50);
  o.in_process = probe->Function();
  return PamAuthenticator(std::move(o));
}

TEST_SUITE("backends/auth_pam/pam_authenticator") {

TEST_CASE("answers of the service map to true, false and Unavailable") {
  testing::TempDir dir;
  const std::string path = dir.path() + "/auth.sock";
  FallbackProbe probe;
  struct Case {
    std::string reply;
    bool ok;
    bool value;
  };
  const Case cases[] = {
      {auth::EncodeAnswer(auth::Answer::kOk), true, true},
      {auth::EncodeAnswer(auth::Answer::kFail), true, false},
      {auth::EncodeAnswer(auth::Answer::kUnavailable), false, false},
      {"", false, false},                              // closed without a reply (refused peer)
      {"ok\n", false, false},                          // not a frame
      {std::string("\0\0\0\1\x09", 5), false, false},  // unknown answer
      {std::string("\0\0\0\1\x02", 5), false, false},  // a request type
  };
  for (const Case& c : cases) {
    CAPTURE(c.reply);
    ::unlink(path.c_str());
    FakeService service(path, [&](const auth::AuthenticateRequest&) { return c.reply; });
    core::Result<bool> r = Make(path, &probe).Authenticate("alice", "pw", "192.0.2.1");
    CHECK(r.ok() == c.ok);
    if (r.ok()) CHECK(*r == c.value);
    if (!r.ok()) CHECK(r.status().code() == core::StatusCode::kUnavailable);
  }
  CHECK(probe.calls == 0);
}

TEST_CASE("the request carries user, password (any bytes but NUL) and client address") {
  testing::TempDir dir;
  const std::string path = dir.path() + "/auth.sock";
  FallbackProbe probe;
  auto ok = [](const auth::AuthenticateRequest&) { return auth::EncodeAnswer(auth::Answer::kOk); };
  FakeService service(path, ok, 2);
  std::string password;
  for (int b = 1; b < 256; ++b) password += static_cast<char>(b);
  CHECK(*Make(path, &probe).Authenticate("alice", password, "2001:db8::1"));
  // a client address that is not one is left out rather than failing the login
  CHECK(*Make(path, &probe).Authenticate("bob", "x", "bad address\n"));
  // the fake thread records the second request last
  for (int i = 0; i < 100 && service.last_user_ != "bob"; ++i) std::this_thread::sleep_for(milliseconds(10));
  CHECK(service.last_user_ == "bob");
  CHECK(service.last_client_.empty());
}

TEST_CASE("credentials PAM must not see are refused without connecting") {
  testing::TempDir dir;
  const std::string path = dir.path() + "/auth.sock";
  FallbackProbe probe;
  auto ok = [](const auth::AuthenticateRequest&) { return auth::EncodeAnswer(auth::Answer::kOk); };
  FakeService service(path, ok, 1);
  PamAuthenticator a = Make(path, &probe);
  struct Case {
    const char* name;
    std::string user, password;
  };
  const Case cases[] = {
      {"empty user", "", "pw"},
      {"empty password", "alice", ""},
      {"NUL in user", std::string("root\0alice", 10), "pw"},
      {"CR in user", "alice\r", "pw"},
      {"LF in user", "alice\nroot", "pw"},
      {"257-byte user", std::string(257, 'a'), "pw"},
      {"NUL in password", "alice", std::string("pw\0rest", 7)},
      {"password over 1024 bytes", "alice", std::string(1025, 'p')},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    core::Result<bool> r = a.Authenticate(c.user, c.password, "127.0.0.1");
    REQUIRE(r.ok());
    CHECK_FALSE(*r);
  }
  CHECK(service.accepted() == 0);
  CHECK(probe.calls == 0);
  // a 256-byte user is fine
  CHECK(*a.Authenticate(std::string(256, 'a'), "pw", ""));
}

TEST_CASE("no answer within the time-out is Unavailable, not a hang") {
  testing::TempDir dir;
  const std::string path = dir.path() + "/auth.sock";
  FallbackProbe probe;
  FakeService service(path, [](const auth::AuthenticateRequest&) { return std::string("hang"); });
  const auto start = Clock::now();
  core::Result<bool> r = Make(path, &probe, milliseconds(300)).Authenticate("alice", "pw", "");
  const auto took = Clock::now() - start;
  CHECK(r.status().code() == core::StatusCode::kUnavailable);
  CHECK(took >= milliseconds(300));
  CHECK(took < milliseconds(3000));
}

TEST_CASE("service not running (no socket, or nobody listening): PAM in-process") {
  testing::TempDir dir;
  FallbackProbe probe;
  SUBCASE("ENOENT") {
    PamAuthenticator a = Make(dir.path() + "/missing.sock", &probe);
    probe.verdict = PamVerdict::kSuccess;
    CHECK(*a.Authenticate("alice", "pw", ""));
    probe.verdict = PamVerdict::kFailure;
    const auto start = Clock::now();
    CHECK_FALSE(*a.Authenticate("alice", "bad", ""));
    CHECK(Clock::now() - start >= milliseconds(50));  // the minimum failure time
    probe.verdict = PamVerdict::kUnavailable;
    CHECK(a.Authenticate("alice", "pw", "").status().code() == core::StatusCode::kUnavailable);
    CHECK(probe.calls == 3);
  }
  SUBCASE("ECONNREFUSED: a stale socket file") {
    const std::string path = dir.path() + "/stale.sock";
    { core::UniqueFd bound = ListenOn(path, /*listen_too=*/false); }
    probe.verdict = PamVerdict::kFailure;
    CHECK_FALSE(*Make(path, &probe).Authenticate("alice", "pw", ""));
    CHECK(probe.calls == 1);
  }
}

TEST_CASE("factory: a socket path that cannot work is a configuration error") {
  PamAuthenticatorFactory factory;
  core::BrokerConfig config;
  CHECK(factory.Create(config).ok());  // the default path
  config.env.authservice_socket = "/run/" + std::string(120, 'x');
  CHECK(factory.Create(config).status().code() == core::StatusCode::kInvalidArgument);
  config.env.authservice_socket = "";
  CHECK_FALSE(factory.Create(config).ok());
}

}  // TEST_SUITE

TEST_SUITE("backends/register_builtin") {

TEST_CASE("registers the authentication mechanisms none and pam; twice is refused") {
  core::AuthenticatorRegistry registry;
  REQUIRE(RegisterBuiltinAuthenticators(registry).ok());
  CHECK(registry.Find("none") != nullptr);
  CHECK(registry.Find("pam") != nullptr);
  CHECK(registry.Find("testsuite") == nullptr);
  CHECK(registry.Find("PAM") == nullptr);
  CHECK_FALSE(RegisterBuiltinAuthenticators(registry).ok());
}

}  // TEST_SUITE

}  // namespace
}  // namespace x2gobroker::backends::auth_pam
