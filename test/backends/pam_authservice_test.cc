// SPDX-License-Identifier: AGPL-3.0-or-later
// Tests x2gobroker-authservice's pieces (backends/auth_pam/authservice/): the event loop with a
// fake PAM, the listen socket set-up, and the command line. Real PAM is exercised by
// test/integration/test_pam_auth.py.
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "../config/temp_dir.h"
#include "backends/auth_pam/authservice/listen_socket.h"
#include "backends/auth_pam/authservice/options.h"
#include "backends/auth_pam/authservice/server.h"
#include "backends/auth_pam/pam_authenticator.h"
#include "core/auth/pam_protocol.h"

namespace x2gobroker::backends::auth_pam {
namespace {

namespace auth = core::auth;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// What a client saw: an answer, or the connection closed without one.
struct Exchange {
  std::optional<auth::Answer> answer;
  bool closed_without_reply = false;
  milliseconds took{0};
};

core::UniqueFd Connect(const std::string& path) {
  core::UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::strncpy(a.sun_path, path.c_str(), sizeof a.sun_path - 1);
  REQUIRE(::connect(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  return fd;
}

Exchange Send(const std::string& path, std::string_view bytes, milliseconds wait = milliseconds(5000)) {
  const auto start = Clock::now();
  core::UniqueFd fd = Connect(path);
  if (!bytes.empty()) ::send(fd.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
  std::string got;
  char buffer[64];
  for (;;) {
    pollfd p{fd.get(), POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(wait.count())) <= 0) break;
    ssize_t n = ::recv(fd.get(), buffer, sizeof buffer, 0);
    if (n <= 0) break;
    got.append(buffer, static_cast<size_t>(n));
  }
  Exchange e;
  e.took = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
  if (got.empty()) {
    e.closed_without_reply = true;
  } else if (auto a = auth::DecodeAnswer(got); a.ok()) {
    e.answer = *a;
  }
  return e;
}

Exchange Login(const std::string& path, const std::string& user, const std::string& password,
               const std::string& client = "192.0.2.1") {
  auto frame = auth::EncodeAuthenticateRequest(user, password, client);
  REQUIRE(frame.ok());
  return Send(path, frame->view());
}

// Fake PAM: alice/right succeeds, user "broken" is PAM failing to start, the rest fails.
PamCheckResult FakePam(const std::string& user, const core::SecretString& password, const std::string&) {
  PamCheckResult r;
  if (user == "broken") {
    r.verdict = PamVerdict::kUnavailable;
    r.pam_message = "pam_start failed";
  } else if (password.view() == "right" && (user == "alice" || user.rfind("user", 0) == 0)) {
    r.verdict = PamVerdict::kSuccess;
  } else {
    r.verdict = PamVerdict::kFailure;
    r.pam_message = user == "alice" ? "Authentication failure" : "User not known";
  }
  return r;
}

// A running AuthServer on a socket in a temp dir; stopped and joined at scope exit.
class RunningServer {
 public:
  explicit RunningServer(AuthServerConfig config) {
    path_ = dir_.path() + "/run/auth.sock";
    auto socket = CreateListenSocket(path_, getuid(), getgid(), 0600);
    REQUIRE(socket.ok());
    socket_ = std::move(socket).value();
    REQUIRE(::pipe2(stop_, O_CLOEXEC) == 0);
    if (!config.check) config.check = FakePam;
    server_ = std::make_unique<AuthServer>(std::move(config), socket_.fd.get());
    thread_ = std::thread([this] { status_ = server_->Run(stop_[0]); });
  }
  ~RunningServer() {
    ssize_t ignored = ::write(stop_[1], "x", 1);
    (void)ignored;
    thread_.join();
    RemoveListenSocket(socket_);
    ::close(stop_[0]);
    ::close(stop_[1]);
  }
  const std::string& path() const { return path_; }

 private:
  testing::TempDir dir_;
  std::string path_;
  ListenSocket socket_;
  int stop_[2] = {-1, -1};
  std::unique_ptr<AuthServer> server_;
  std::thread thread_;
  core::Status status_;
};

AuthServerConfig TestConfig() {
  AuthServerConfig c;
  c.allowed_uids = {getuid()};
  c.max_concurrent = 4;
  c.read_timeout = milliseconds(300);
  c.fail_delay = milliseconds(200);
  c.throttle.user_threshold = 0;
  c.throttle.client_threshold = 0;
  return c;
}

TEST_SUITE("backends/auth_pam/authservice") {

TEST_CASE("right password: ok at once; wrong password and unknown user: the same answer, same floor") {
  AuthServerConfig c = TestConfig();
  c.fail_delay = milliseconds(1000);
  RunningServer server(std::move(c));
  Exchange ok = Login(server.path(), "alice", "right");
  CHECK(ok.answer == auth::Answer::kOk);
  CHECK(ok.took < milliseconds(500));
  Exchange wrong = Login(server.path(), "alice", "wrong");
  Exchange unknown = Login(server.path(), "nobody-here", "wrong");
  CHECK(wrong.answer == auth::Answer::kFail);
  CHECK(unknown.answer == auth::Answer::kFail);
  CHECK(wrong.took >= milliseconds(1000));
  CHECK(unknown.took >= milliseconds(1000));
  CHECK(Login(server.path(), "broken", "x").answer == auth::Answer::kUnavailable);
}

TEST_CASE("PAM's own requested delay counts when it is longer than --fail-delay") {
  AuthServerConfig c = TestConfig();
  c.check = [](const std::string&, const core::SecretString&, const std::string&) {
    PamCheckResult r;
    r.verdict = PamVerdict::kFailure;
    r.requested_fail_delay = std::chrono::microseconds(400000);
    return r;
  };
  RunningServer server(std::move(c));
  CHECK(Login(server.path(), "alice", "x").took >= milliseconds(400));
}

TEST_CASE("malformed or out-of-order input: closed without a reply") {
  RunningServer server(TestConfig());
  auto good = auth::EncodeAuthenticateRequest("alice", "right", "");
  REQUIRE(good.ok());
  const std::string frame(good->view());
  const char* names[] = {"reference line protocol", "oversized header", "zero length", "answer frame",
                         "truncated then EOF", "two requests"};
  const std::string inputs[] = {
      "alice\rright\rx2gobroker\n", std::string("\0\1\0\0", 4) + "x", std::string("\0\0\0\0", 4),
      auth::EncodeAnswer(auth::Answer::kOk), frame.substr(0, frame.size() - 2), frame + frame};
  for (size_t i = 0; i < std::size(inputs); ++i) {
    CAPTURE(names[i]);
    Exchange e;
    if (std::string_view(names[i]) == "truncated then EOF") {
      core::UniqueFd fd = Connect(server.path());
      ::send(fd.get(), inputs[i].data(), inputs[i].size(), MSG_NOSIGNAL);
      ::shutdown(fd.get(), SHUT_WR);
      char b;
      CHECK(::recv(fd.get(), &b, 1, 0) == 0);
      continue;
    }
    e = Send(server.path(), inputs[i]);
    CHECK(e.closed_without_reply);
  }
  // and the service still serves
  CHECK(Login(server.path(), "alice", "right").answer == auth::Answer::kOk);
}

TEST_CASE("a peer whose uid is not allowed gets no answer") {
  AuthServerConfig c = TestConfig();
  c.allowed_uids = {getuid() + 12345};
  RunningServer server(std::move(c));
  Exchange e = Login(server.path(), "alice", "right");
  CHECK(e.closed_without_reply);
}

TEST_CASE("a client that sends nothing (slowloris) is dropped after the read time-out") {
  RunningServer server(TestConfig());
  Exchange e = Send(server.path(), "", milliseconds(3000));
  CHECK(e.closed_without_reply);
  CHECK(e.took >= milliseconds(250));
  CHECK(e.took < milliseconds(2000));
}

TEST_CASE("concurrent logins run in parallel; failure delays do not hold PAM threads") {
  AuthServerConfig c = TestConfig();
  c.max_concurrent = 2;
  c.fail_delay = milliseconds(500);
  std::atomic<int> in_pam{0}, max_in_pam{0};
  c.check = [&](const std::string& user, const core::SecretString& password, const std::string& rhost) {
    int now = ++in_pam;
    int seen = max_in_pam.load();
    while (now > seen && !max_in_pam.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::sleep_for(milliseconds(50));
    --in_pam;
    return FakePam(user, password, rhost);
  };
  RunningServer server(std::move(c));
  const auto start = Clock::now();
  std::vector<std::thread> clients;
  std::atomic<int> right{0};
  for (int i = 0; i < 20; ++i) {
    clients.emplace_back([&, i] {
      const bool valid = i % 2 == 0;
      Exchange e = Login(server.path(), "user" + std::to_string(i), valid ? "right" : "wrong");
      if (e.answer == (valid ? auth::Answer::kOk : auth::Answer::kFail)) ++right;
    });
  }
  for (auto& t : clients) t.join();
  const auto took = Clock::now() - start;
  CHECK(right == 20);
  CHECK(max_in_pam <= 2);
  // 20 PAM calls of 50 ms on 2 threads = 500 ms, + 500 ms failure delay; held threads would
  // need 10 x 500 ms more.
  CHECK(took < milliseconds(4000));
}

TEST_CASE("repeated failures for one user are spaced out, then refused; other users are not slowed") {
  AuthServerConfig c = TestConfig();
  c.fail_delay = milliseconds(0);
  c.throttle.user_threshold = 2;
  c.throttle.step = milliseconds(600);
  c.throttle.cap = milliseconds(1200);
  RunningServer server(std::move(c));
  CHECK(Login(server.path(), "alice", "bad").took < milliseconds(400));
  CHECK(Login(server.path(), "alice", "bad").took < milliseconds(400));
  Exchange third = Login(server.path(), "alice", "bad");  // after 2 failures: waits 600 ms
  CHECK(third.answer == auth::Answer::kFail);
  CHECK(third.took >= milliseconds(500));
  CHECK(Login(server.path(), "carol", "bad").took < milliseconds(400));
  // three at once, each 1.2 s after the previous slot (cap 1.2 s): the later ones are refused
  std::vector<std::thread> burst;
  std::atomic<int> refused{0};
  for (int i = 0; i < 3; ++i) {
    burst.emplace_back([&] {
      if (Login(server.path(), "alice", "right").answer == auth::Answer::kUnavailable) ++refused;
    });
  }
  for (auto& t : burst) t.join();
  CHECK(refused >= 1);
  // a success resets the user's budget
  std::this_thread::sleep_for(milliseconds(1300));
  CHECK(Login(server.path(), "alice", "right").answer == auth::Answer::kOk);
  CHECK(Login(server.path(), "alice", "bad").took < milliseconds(400));
}

TEST_CASE("listen socket: exact mode, directory created 0770, stale socket replaced, live one refused") {
  testing::TempDir dir;
  const std::string path = dir.path() + "/sub/auth.sock";
  {
    auto s = CreateListenSocket(path, getuid(), getgid(), 0640);
    REQUIRE(s.ok());
    struct stat st{};
    REQUIRE(::lstat(path.c_str(), &st) == 0);
    CHECK(S_ISSOCK(st.st_mode));
    CHECK((st.st_mode & 07777) == 0640);
    REQUIRE(::stat((dir.path() + "/sub").c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0770);
    auto again = CreateListenSocket(path, getuid(), getgid(), 0640);
    CHECK_FALSE(again.ok());
    CHECK(again.status().message().find("another process") != std::string::npos);
    // the stale file left behind when the process dies
  }
  auto replaced = CreateListenSocket(path, getuid(), getgid(), 0600);
  REQUIRE(replaced.ok());
  RemoveListenSocket(replaced.value());
  struct stat st{};
  CHECK(::lstat(path.c_str(), &st) != 0);

  const std::string file = dir.Write("plain-file", "x");
  CHECK_FALSE(CreateListenSocket(file, getuid(), getgid(), 0600).ok());
  CHECK_FALSE(CreateListenSocket("relative.sock", getuid(), getgid(), 0600).ok());
  CHECK_FALSE(CreateListenSocket("/tmp/" + std::string(120, 'x'), getuid(), getgid(), 0600).ok());
  const std::string open_dir = dir.path() + "/world";
  REQUIRE(::mkdir(open_dir.c_str(), 0777) == 0);
  REQUIRE(::chmod(open_dir.c_str(), 0777) == 0);
  CHECK_FALSE(CreateListenSocket(open_dir + "/auth.sock", getuid(), getgid(), 0600).ok());
}

TEST_CASE("command line: defaults, environment, every option, errors") {
  AuthserviceEnvironment env;
  auto o = ParseAuthserviceOptions({}, env);
  REQUIRE(o.ok());
  CHECK(o->socket_path == "/run/x2gobroker/x2gobroker-authservice.socket");
  CHECK(o->owner == "root");
  CHECK(o->group == "x2gobroker");
  CHECK(o->permissions == 0660);
  CHECK(o->pam_service == "x2gobroker");
  CHECK(o->max_concurrent == 16);
  CHECK(o->allow_uids.empty());
  CHECK_FALSE(o->debug);

  env.authservice_socket = "/tmp/a.sock";
  env.daemon_user = "broker";
  env.daemon_group = "brokers";
  env.debug = "yes";
  o = ParseAuthserviceOptions({}, env);
  REQUIRE(o.ok());
  CHECK(o->socket_path == "/tmp/a.sock");
  CHECK(o->daemon_user == "broker");
  CHECK(o->group == "brokers");
  CHECK(o->debug);

  o = ParseAuthserviceOptions({"-s", "/x/s.sock", "-o", "root", "-g", "adm", "-p", "0600", "--allow-uid", "104",
                               "--allow-uid=www-data", "--pam-service", "x2gobroker-test", "--max-concurrent=4",
                               "--fail-delay", "1500", "--fail-delay-user", "3", "--fail-delay-client", "0",
                               "--fail-window", "60", "--fail-delay-step", "500", "--fail-delay-max", "4000",
                               "--read-timeout", "1000", "--max-connections", "32", "-d"},
                              AuthserviceEnvironment{});
  REQUIRE(o.ok());
  CHECK(o->socket_path == "/x/s.sock");
  CHECK(o->group == "adm");
  CHECK(o->permissions == 0600);
  CHECK(o->allow_uids == std::vector<std::string>{"104", "www-data"});
  CHECK(o->pam_service == "x2gobroker-test");
  CHECK(o->max_concurrent == 4);
  CHECK(o->fail_delay == milliseconds(1500));
  CHECK(o->throttle.user_threshold == 3);
  CHECK(o->throttle.client_threshold == 0);
  CHECK(o->throttle.window == std::chrono::seconds(60));
  CHECK(o->throttle.step == milliseconds(500));
  CHECK(o->throttle.cap == milliseconds(4000));
  CHECK(o->read_timeout == milliseconds(1000));
  CHECK(o->max_connections == 32);
  CHECK(o->debug);

  const std::vector<std::vector<std::string>> bad = {
      {"--socket"}, {"-s", "relative"}, {"-p", "0999"}, {"-p", "rw"}, {"--max-concurrent", "0"},
      {"--pam-service", "../shadow"}, {"--pam-service", ".hidden"}, {"--fail-delay", "-1"}, {"--bogus"},
      {"-d=1"}, {"--help=yes"}, {"--allow-uid", ""}};
  for (const auto& args : bad) {
    CAPTURE(args[0]);
    CHECK(ParseAuthserviceOptions(args, AuthserviceEnvironment{}).status().code() ==
          core::StatusCode::kInvalidArgument);
  }
  // the reference's spellings
  o = ParseAuthserviceOptions({"--socket-file", "/r/a.sock", "-p", "0o640", "-i"}, AuthserviceEnvironment{});
  REQUIRE(o.ok());
  CHECK(o->socket_path == "/r/a.sock");
  CHECK(o->permissions == 0640);
  CHECK(ParseAuthserviceOptions({"--help"}, AuthserviceEnvironment{})->help);
  CHECK(AuthserviceUsage("x").find("--allow-uid") != std::string::npos);
}

TEST_CASE("end to end: PamAuthenticator against the real event loop") {
  RunningServer server(TestConfig());
  PamAuthenticatorOptions o;
  o.socket_path = server.path();
  PamAuthenticator client(std::move(o));
  CHECK(*client.Authenticate("alice", "right", "192.0.2.1"));
  CHECK_FALSE(*client.Authenticate("alice", "wrong", "192.0.2.1"));
  CHECK_FALSE(*client.Authenticate("unknown", "wrong", "192.0.2.1"));
  CHECK(client.Authenticate("broken", "x", "").status().code() == core::StatusCode::kUnavailable);
}

}  // TEST_SUITE

}  // namespace
}  // namespace x2gobroker::backends::auth_pam
