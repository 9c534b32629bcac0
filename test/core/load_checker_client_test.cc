// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/load_checker_client.h"

#include <doctest/doctest.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <functional>
#include <string>
#include <thread>

#include "core/load_checker_protocol.h"
#include "core/unique_fd.h"

using namespace x2gobroker::core;
namespace protocol = x2gobroker::core::load_checker;

namespace {

// A one-connection UNIX socket server in a private directory: reads one whole frame (if the
// client sends one), then lets `respond` do whatever the test needs with the connection.
class TinyServer {
 public:
  using Respond = std::function<void(int fd, const std::string& request)>;

  explicit TinyServer(Respond respond) {
    char dir_template[] = "/tmp/lc-client-test-XXXXXX";
    REQUIRE(::mkdtemp(dir_template) != nullptr);
    dir_ = dir_template;
    path_ = dir_ + "/s";
    listen_.reset(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::memcpy(a.sun_path, path_.c_str(), path_.size());
    REQUIRE(::bind(listen_.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(::listen(listen_.get(), 4) == 0);
    thread_ = std::thread([this, respond = std::move(respond)] {
      pollfd p{listen_.get(), POLLIN, 0};
      if (::poll(&p, 1, 5000) <= 0) return;
      UniqueFd c(::accept(listen_.get(), nullptr, nullptr));
      if (!c.valid()) return;
      std::string frame(protocol::kFrameHeaderBytes, '\0');
      if (ReadAll(c.get(), &frame, 0)) {
        Result<size_t> body = protocol::DecodeFrameHeader(frame);
        if (body.ok()) {
          frame.resize(protocol::kFrameHeaderBytes + *body);
          ReadAll(c.get(), &frame, protocol::kFrameHeaderBytes);
        }
      }
      request_ = frame;
      respond(c.get(), frame);
    });
  }
  ~TinyServer() {
    if (thread_.joinable()) thread_.join();
    ::unlink(path_.c_str());
    ::rmdir(dir_.c_str());
  }
  const std::string& path() const { return path_; }
  // The frame the client sent. REQUIRES: joined (call after the client returned).
  const std::string& request() {
    if (thread_.joinable()) thread_.join();
    return request_;
  }

 private:
  static bool ReadAll(int fd, std::string* out, size_t have) {
    while (have < out->size()) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 2000) <= 0) return false;
      ssize_t n = ::recv(fd, out->data() + have, out->size() - have, 0);
      if (n <= 0) return false;
      have += static_cast<size_t>(n);
    }
    return true;
  }

  std::string dir_;
  std::string path_;
  UniqueFd listen_;
  std::thread thread_;
  std::string request_;
};

void Send(int fd, const std::string& bytes) {
  REQUIRE(::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size()));
}

}  // namespace

TEST_SUITE("core/load_checker_client") {
  TEST_CASE("sends one request and returns the daemon's loads") {
    std::map<std::string, LoadFactor> loads = {{"ts01", LoadFactor{86425, ""}},
                                               {"ts02", LoadFactor{std::nullopt, kHostUnreachable}}};
    TinyServer server([&](int fd, const std::string&) { Send(fd, *protocol::EncodeLoadsAnswer(loads)); });
    SocketLoadChecker checker(server.path());
    Result<std::map<std::string, LoadFactor>> r = checker.ProfileLoad("inifile", "pool a");
    REQUIRE(r.ok());
    CHECK(r->size() == 2);
    CHECK(r->at("ts01").value == 86425);
    CHECK(r->at("ts02").error == kHostUnreachable);
    Result<protocol::ProfileLoadRequest> sent = protocol::DecodeProfileLoadRequest(server.request());
    REQUIRE(sent.ok());
    CHECK(sent->backend == "inifile");
    CHECK(sent->profile_id == "pool a");
  }

  TEST_CASE("an unknown profile is an empty map") {
    TinyServer server([](int fd, const std::string&) { Send(fd, protocol::EncodeUnknownProfileAnswer()); });
    Result<std::map<std::string, LoadFactor>> r = SocketLoadChecker(server.path()).ProfileLoad("inifile", "nope");
    REQUIRE(r.ok());
    CHECK(r->empty());
  }

  TEST_CASE("an answer sent in pieces is put together") {
    TinyServer server([](int fd, const std::string&) {
      std::string frame = *protocol::EncodeLoadsAnswer({{"h", LoadFactor{7, ""}}});
      for (char c : frame) {
        Send(fd, std::string(1, c));
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
    });
    Result<std::map<std::string, LoadFactor>> r = SocketLoadChecker(server.path()).ProfileLoad("inifile", "p");
    REQUIRE(r.ok());
    CHECK(r->at("h").value == 7);
  }

  TEST_CASE("no daemon is Unavailable") {
    Result<std::map<std::string, LoadFactor>> r =
        SocketLoadChecker("/tmp/lc-client-test-does-not-exist/s").ProfileLoad("inifile", "p");
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == StatusCode::kUnavailable);
  }

  TEST_CASE("a daemon that closes without an answer (refused peer) is Unavailable") {
    TinyServer server([](int, const std::string&) {});
    Result<std::map<std::string, LoadFactor>> r = SocketLoadChecker(server.path()).ProfileLoad("inifile", "p");
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == StatusCode::kUnavailable);
  }

  TEST_CASE("a daemon that does not answer in time is Unavailable after the time-out") {
    TinyServer server([](int, const std::string&) { std::this_thread::sleep_for(std::chrono::milliseconds(600)); });
    const auto start = std::chrono::steady_clock::now();
    Result<std::map<std::string, LoadFactor>> r =
        SocketLoadChecker(server.path(), std::chrono::milliseconds(150)).ProfileLoad("inifile", "p");
    const auto took = std::chrono::steady_clock::now() - start;
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == StatusCode::kUnavailable);
    CHECK(took < std::chrono::milliseconds(500));
  }

  TEST_CASE("garbage answers are Unavailable") {
    const std::string answers[] = {
        std::string("\x00\x00\x00\x01\x02", 5),                  // a request type
        std::string("\xff\xff\xff\xff", 4),                   // a frame far too large
        std::string("\x00\x00\x00\x03\x03\x00\x01", 7),       // count 1, no entry
        protocol::EncodeUnknownProfileAnswer().substr(0, 4),  // header, then EOF
    };
    for (const std::string& answer : answers) {
      TinyServer server([&](int fd, const std::string&) { Send(fd, answer); });
      Result<std::map<std::string, LoadFactor>> r = SocketLoadChecker(server.path()).ProfileLoad("inifile", "p");
      REQUIRE_FALSE(r.ok());
      CHECK(r.status().code() == StatusCode::kUnavailable);
    }
  }

  TEST_CASE("an id that cannot be sent is InvalidArgument and nothing is sent") {
    Result<std::map<std::string, LoadFactor>> r =
        SocketLoadChecker("/tmp/lc-client-test-does-not-exist/s").ProfileLoad("inifile", "a\r\nb");
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == StatusCode::kInvalidArgument);
  }
}
