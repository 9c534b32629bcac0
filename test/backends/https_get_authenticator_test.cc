// SPDX-License-Identifier: AGPL-3.0-or-later
// Tests backends/auth_https_get/https_get_authenticator.cc without a TLS server: configuration,
// URLs, names refused before any network traffic, and failures of the network (refused, silent
// and plain-text servers). The TLS exchanges themselves (200/401/redirect/5xx, certificates,
// headers) run against a real nginx in test/integration/test_https_get.py.
#include "backends/auth_https_get/https_get_authenticator.h"

#include <doctest/doctest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "backends/register_builtin.h"
#include "core/broker_config.h"
#include "test/config/temp_dir.h"

namespace x2gobroker::backends::auth_https_get {
namespace {

using core::StatusCode;

// A TCP listener on 127.0.0.1 (port 0) in its own thread that counts connections and either
// stays silent or writes `answer` (plain text, no TLS) and closes.
class TcpServer {
 public:
  explicit TcpServer(std::string answer = "") : answer_(std::move(answer)) {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd_ >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    socklen_t len = sizeof addr;
    REQUIRE(getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    port_ = ntohs(addr.sin_port);
    REQUIRE(listen(fd_, 16) == 0);
    thread_ = std::thread([this] { Serve(); });
  }
  ~TcpServer() {
    stop_ = true;
    thread_.join();
    for (int c : clients_) close(c);
    close(fd_);
  }
  std::string port() const { return std::to_string(port_); }
  int connections() const { return connections_.load(); }

 private:
  void Serve() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 50) <= 0) continue;
      int c = accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) continue;
      connections_.fetch_add(1);
      if (answer_.empty()) {
        clients_.push_back(c);  // silent: held open until the end
      } else {
        (void)!write(c, answer_.data(), answer_.size());
        close(c);
      }
    }
  }

  std::string answer_;
  int fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  std::vector<int> clients_;
  std::thread thread_;
};

// A loopback port nobody listens on (bound, then closed).
std::string ClosedPort() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return std::to_string(ntohs(addr.sin_port));
}

core::AuthenticatorPtr Make(const std::string& port, long connect_ms = 3000, long total_ms = 5000) {
  HttpsGetTarget target;
  target.host = "127.0.0.1";
  target.port = port;
  target.path = "/auth";
  target.connect_timeout_ms = connect_ms;
  target.total_timeout_ms = total_ms;
  core::Result<core::AuthenticatorPtr> made = MakeHttpsGetAuthenticator(target);
  REQUIRE_MESSAGE(made.ok(), made.status().message());
  return *made;
}

TEST_SUITE("backends/auth_https_get") {

TEST_CASE("the URL is https://host:port/path; malformed targets are refused") {
  struct Case {
    std::string host, port, path, url;
  };
  const std::vector<Case> good = {
      {"auth.example.org", "443", "/auth/index.html", "https://auth.example.org:443/auth/index.html"},
      {"127.0.0.1", "8443", "/", "https://127.0.0.1:8443/"},
      {"::1", "443", "/a?b=c", "https://[::1]:443/a?b=c"},
      {"[2001:db8::1]", "00443", "/x", "https://[2001:db8::1]:443/x"},
      {"my_host-1.lan", "1", "/%20", "https://my_host-1.lan:1/%20"},
  };
  for (const Case& c : good) {
    CAPTURE(c.url);
    core::Result<std::string> url = HttpsGetUrl(HttpsGetTarget{c.host, c.port, c.path});
    REQUIRE_MESSAGE(url.ok(), url.status().message());
    CHECK(*url == c.url);
  }
  const std::vector<Case> bad = {
      {"", "443", "/"},          {"a b", "443", "/"},         {"evil/x", "443", "/"},
      {"user@host", "443", "/"}, {"[host]", "443", "/"},      {"h\n", "443", "/"},
      {"h", "", "/"},            {"h", "0", "/"},             {"h", "65536", "/"},
      {"h", "-1", "/"},          {"h", "44 3", "/"},          {"h", "https", "/"},
      {"h", "443", ""},          {"h", "443", "auth"},        {"h", "443", "/a b"},
      {"h", "443", "/a#frag"},   {"h", "443", "/a\r\nX: y"},  {"h", "443", "/\x80"},
  };
  for (const Case& c : bad) {
    CAPTURE(c.host);
    CAPTURE(c.port);
    CAPTURE(c.path);
    core::Result<std::string> url = HttpsGetUrl(HttpsGetTarget{c.host, c.port, c.path});
    CHECK(url.status().code() == StatusCode::kInvalidArgument);
  }
}

TEST_CASE("the factory: missing target fails every login, malformed target refuses the config") {
  HttpsGetAuthenticatorFactory factory;
  core::BrokerConfig config;
  config.source = "/etc/x2go/x2gobroker.conf";
  SUBCASE("nothing configured") {
    core::Result<core::AuthenticatorPtr> made = factory.Create(config);
    REQUIRE(made.ok());
    core::Result<bool> ok = (*made)->Authenticate("alice", "secret", "127.0.0.1");
    REQUIRE(ok.ok());
    CHECK_FALSE(*ok);
  }
  SUBCASE("port missing") {
    config.https_get_host = "127.0.0.1";
    config.https_get_path = "/";
    core::Result<core::AuthenticatorPtr> made = factory.Create(config);
    REQUIRE(made.ok());
    CHECK_FALSE(*(*made)->Authenticate("alice", "secret", "127.0.0.1"));
  }
  SUBCASE("malformed port") {
    config.https_get_host = "127.0.0.1";
    config.https_get_path = "/";
    config.https_get_port = "https";
    core::Result<core::AuthenticatorPtr> made = factory.Create(config);
    CHECK(made.status().code() == StatusCode::kInvalidArgument);
    CHECK(made.status().message().find("x2gobroker.conf") != std::string::npos);
  }
  SUBCASE("unreadable ca-file") {
    config.https_get_host = "127.0.0.1";
    config.https_get_path = "/";
    config.https_get_port = "443";
    config.https_get_ca_file = "/nonexistent/ca.pem";
    core::Result<core::AuthenticatorPtr> made = factory.Create(config);
    CHECK(made.status().code() == StatusCode::kInvalidArgument);
    CHECK(made.status().message().find("ca-file") != std::string::npos);
  }
  SUBCASE("complete") {
    testing::TempDir tmp;
    config.https_get_host = "127.0.0.1";
    config.https_get_path = "/auth";
    config.https_get_port = ClosedPort();
    config.https_get_ca_file = tmp.Write("ca.pem", "");
    core::Result<core::AuthenticatorPtr> made = factory.Create(config);
    REQUIRE(made.ok());
    CHECK((*made)->Authenticate("alice", "secret", "127.0.0.1").status().code() == StatusCode::kUnavailable);
  }
}

TEST_CASE("registered as https_get") {
  core::AuthenticatorRegistry registry;
  REQUIRE(RegisterBuiltinAuthenticators(registry).ok());
  CHECK(registry.Find("https_get") != nullptr);
  CHECK(registry.Find("https-get") == nullptr);
}

TEST_CASE("ambiguous or empty credentials fail without asking the server") {
  TcpServer server;
  core::AuthenticatorPtr auth = Make(server.port(), 300, 500);
  const std::vector<std::pair<std::string, std::string>> refused = {
      {"alice:admin", "secret"}, {"", "secret"},         {"alice", ""},
      {"ali\nce", "secret"},     {"ali\tce", "secret"},  {std::string("ali\0ce", 6), "secret"},
      {"ali\x7f", "secret"},     {":", ":"},
  };
  for (const auto& credentials : refused) {
    CAPTURE(credentials.first);
    core::Result<bool> ok = auth->Authenticate(credentials.first, credentials.second, "127.0.0.1");
    REQUIRE(ok.ok());
    CHECK_FALSE(*ok);
  }
  CHECK(server.connections() == 0);
  // A colon in the password is fine (only the first one separates), and reaches the server.
  CHECK(auth->Authenticate("alice", "pass:word", "127.0.0.1").status().code() == StatusCode::kUnavailable);
  CHECK(server.connections() == 1);
}

TEST_CASE("network failures are Unavailable, never a grant") {
  SUBCASE("connection refused") {
    core::AuthenticatorPtr auth = Make(ClosedPort());
    core::Result<bool> ok = auth->Authenticate("alice", "secret", "127.0.0.1");
    CHECK(ok.status().code() == StatusCode::kUnavailable);
  }
  SUBCASE("a server that never answers: the time-out ends it") {
    TcpServer silent;
    core::AuthenticatorPtr auth = Make(silent.port(), 300, 600);
    const auto start = std::chrono::steady_clock::now();
    core::Result<bool> ok = auth->Authenticate("alice", "secret", "127.0.0.1");
    const auto elapsed = std::chrono::steady_clock::now() - start;
    CHECK(ok.status().code() == StatusCode::kUnavailable);
    // Bounded by the time-outs (libcurl's own default would be 300 s); generous for a busy
    // CI machine, where loading the CA bundle alone can take a while.
    CHECK(elapsed < std::chrono::seconds(10));
    CHECK(silent.connections() == 1);
  }
  SUBCASE("plain HTTP where TLS is expected: no grant") {
    TcpServer plain("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
    core::AuthenticatorPtr auth = Make(plain.port());
    core::Result<bool> ok = auth->Authenticate("alice", "secret", "127.0.0.1");
    CHECK(ok.status().code() == StatusCode::kUnavailable);
    CHECK(plain.connections() == 1);
  }
  SUBCASE("a host name that does not resolve") {
    HttpsGetTarget target{"does-not-exist.invalid", "443", "/"};
    core::Result<core::AuthenticatorPtr> made = MakeHttpsGetAuthenticator(target);
    REQUIRE(made.ok());
    CHECK((*made)->Authenticate("alice", "secret", "").status().code() == StatusCode::kUnavailable);
  }
}

}  // TEST_SUITE

}  // namespace
}  // namespace x2gobroker::backends::auth_https_get
