// SPDX-License-Identifier: AGPL-3.0-or-later
// The pool end to end over a temporary unix socket, with a test handler and a minimal FastCGI
// client standing in for nginx.
#include "fcgi/worker_pool.h"

#include <doctest/doctest.h>
#include <fcgiapp.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <memory>
#include <thread>
#include <vector>

#include "core/log.h"
#include "fcgi/listen_socket.h"
#include "test/fcgi/fcgi_test_client.h"
#include "test/fcgi/test_handler.h"

namespace x2gobroker::fcgi {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

// A listening, non-blocking unix socket in a fresh temporary directory.
struct TestSocket {
  std::filesystem::path dir;
  std::string path;
  ListenSocket socket;
  TestSocket() {
    char pattern[] = "/tmp/fcgi_pool_test.XXXXXX";
    dir = mkdtemp(pattern);
    path = (dir / "s.sock").string();
    SocketSpec spec;
    spec.kind = SocketSpec::Kind::kUnix;
    spec.path = path;
    auto opened = OpenListenSocket(spec, 0600, 16);
    REQUIRE(opened.ok());
    socket = std::move(opened).value();
    REQUIRE(SetNonBlocking(socket.fd.get()).ok());
  }
  ~TestSocket() { std::filesystem::remove_all(dir); }
  int fd() const { return socket.fd.get(); }
};

std::map<std::string, std::string> Params(const std::string& path, const std::string& query = "",
                                          size_t length = 0) {
  return {{"REQUEST_METHOD", "POST"}, {"DOCUMENT_URI", path}, {"QUERY_STRING", query},
          {"CONTENT_LENGTH", std::to_string(length)}, {"REMOTE_ADDR", "127.0.0.1"}};
}

std::string Get(const std::string& socket_path, const std::string& path, const std::string& query = "") {
  core::UniqueFd fd = testing::ConnectUnix(socket_path);
  if (!fd.valid()) return "";
  testing::FcgiClient client(fd.get());
  return client.Request(Params(path, query), "");
}

struct QuietLogs {
  QuietLogs() { core::SetLogLevel(core::LogLevel::kError); }
  ~QuietLogs() { core::SetLogLevel(core::LogLevel::kInfo); }
};

TEST_SUITE("fcgi/worker_pool") {
  TEST_CASE("answers requests and stops promptly while idle threads wait in poll") {
    QuietLogs quiet;
    REQUIRE(FCGX_Init() == 0);
    TestSocket socket;
    SnapshotHolder holder(std::make_shared<testing::EchoHandler>(), nullptr);
    WorkerPool pool(socket.fd(), 4, holder);
    REQUIRE(pool.Start().ok());

    std::string answer = Get(socket.path, "/plain/", "a=1");
    CHECK(answer.find("Status: 200 OK\r\n") == 0);
    CHECK(answer.find("\r\n\r\nv1 POST /plain/ q=a=1 b= a=127.0.0.1") != std::string::npos);

    auto start = steady_clock::now();
    pool.Stop();
    CHECK(pool.WaitStopped(milliseconds(2000)));
    CHECK(steady_clock::now() - start < milliseconds(1000));
    // The listen socket is untouched (siblings may still use it): a connection is still queued.
    CHECK(testing::ConnectUnix(socket.path).valid());
  }

  TEST_CASE("a request body is read and answered") {
    QuietLogs quiet;
    REQUIRE(FCGX_Init() == 0);
    TestSocket socket;
    SnapshotHolder holder(std::make_shared<testing::EchoHandler>(), nullptr);
    WorkerPool pool(socket.fd(), 2, holder);
    REQUIRE(pool.Start().ok());
    core::UniqueFd fd = testing::ConnectUnix(socket.path);
    testing::FcgiClient client(fd.get());
    std::string body(40000, 'x');  // more than one FastCGI record
    std::string answer = client.Request(Params("/p", "", body.size()), body);
    CHECK(answer.find("b=" + body + " a=") != std::string::npos);

    core::UniqueFd fd2 = testing::ConnectUnix(socket.path);
    testing::FcgiClient client2(fd2.get());
    std::string big(core::kMaxBodyBytes + 1, 'y');
    std::string refused = client2.Request(Params("/p", "", big.size()), big);
    CHECK(refused.find("Status: 413 ") == 0);
    // Like nginx after END_REQUEST: libfcgi's lingering close waits for this (up to 2 s).
    fd.reset();
    fd2.reset();
    pool.Stop();
    CHECK(pool.WaitStopped(milliseconds(3000)));
  }

  TEST_CASE("a throwing handler gets a 500 and the single worker survives") {
    QuietLogs quiet;
    REQUIRE(FCGX_Init() == 0);
    TestSocket socket;
    SnapshotHolder holder(std::make_shared<testing::EchoHandler>(), nullptr);
    WorkerPool pool(socket.fd(), 1, holder);
    REQUIRE(pool.Start().ok());
    CHECK(Get(socket.path, "/throw").find("Status: 500 Internal Server Error\r\n") == 0);
    CHECK(Get(socket.path, "/ok").find("Status: 200 OK\r\n") == 0);
    pool.Stop();
    CHECK(pool.WaitStopped(milliseconds(2000)));
  }

  TEST_CASE("kept-alive connections carry several requests and do not block the stop") {
    QuietLogs quiet;
    REQUIRE(FCGX_Init() == 0);
    TestSocket socket;
    SnapshotHolder holder(std::make_shared<testing::EchoHandler>(), nullptr);
    WorkerPool pool(socket.fd(), 2, holder);
    REQUIRE(pool.Start().ok());
    core::UniqueFd fd = testing::ConnectUnix(socket.path);
    testing::FcgiClient client(fd.get());
    CHECK(client.Request(Params("/one"), "", true, 1).find("/one") != std::string::npos);
    CHECK(client.Request(Params("/two"), "", true, 2).find("/two") != std::string::npos);
    // The connection stays open and idle: its worker waits on it, and must still stop.
    auto start = steady_clock::now();
    pool.Stop();
    fd.reset();  // the web server closes its side when we do (else libfcgi lingers 2 s)
    CHECK(pool.WaitStopped(milliseconds(5000)));
    CHECK(steady_clock::now() - start < milliseconds(3000));
  }

  TEST_CASE("a request in flight is finished after Stop") {
    QuietLogs quiet;
    REQUIRE(FCGX_Init() == 0);
    TestSocket socket;
    SnapshotHolder holder(std::make_shared<testing::EchoHandler>(), nullptr);
    WorkerPool pool(socket.fd(), 2, holder);
    REQUIRE(pool.Start().ok());
    auto slow = std::async(std::launch::async, [&] { return Get(socket.path, "/slow", "400"); });
    for (int i = 0; i < 100 && pool.busy() == 0; ++i) std::this_thread::sleep_for(milliseconds(5));
    REQUIRE(pool.busy() == 1);
    pool.Stop();
    CHECK(pool.WaitStopped(milliseconds(5000)));
    CHECK(slow.get().find("Status: 200 OK\r\n") == 0);
  }

  TEST_CASE("a peer that connects and stalls does not keep the other threads from accepting") {
    QuietLogs quiet;
    REQUIRE(FCGX_Init() == 0);
    TestSocket socket;
    SnapshotHolder holder(std::make_shared<testing::EchoHandler>(), nullptr);
    WorkerPool pool(socket.fd(), 2, holder);
    REQUIRE(pool.Start().ok());
    core::UniqueFd stalled = testing::ConnectUnix(socket.path);
    REQUIRE(write(stalled.get(), "\x01", 1) == 1);  // half a record header, then nothing
    std::this_thread::sleep_for(milliseconds(50));
    auto start = steady_clock::now();
    CHECK(Get(socket.path, "/next").find("Status: 200 OK\r\n") == 0);
    CHECK(steady_clock::now() - start < milliseconds(1000));
    stalled.reset();
    pool.Stop();
    CHECK(pool.WaitStopped(milliseconds(3000)));
  }

  TEST_CASE("a stalled connection is dropped after the I/O time-out, freeing its thread") {
    QuietLogs quiet;
    REQUIRE(FCGX_Init() == 0);
    TestSocket socket;
    SnapshotHolder holder(std::make_shared<testing::EchoHandler>(), nullptr);
    PoolTimeouts timeouts;
    timeouts.io = milliseconds(200);
    WorkerPool pool(socket.fd(), 1, holder, timeouts);
    REQUIRE(pool.Start().ok());
    core::UniqueFd stalled = testing::ConnectUnix(socket.path);
    REQUIRE(write(stalled.get(), "\x01", 1) == 1);
    std::this_thread::sleep_for(milliseconds(50));
    auto start = steady_clock::now();
    auto next = std::async(std::launch::async, [&] { return Get(socket.path, "/next"); });
    // libfcgi's lingering close waits up to 2 s for the stalled peer; closing it ends that.
    std::this_thread::sleep_for(milliseconds(400));
    stalled.reset();
    CHECK(next.get().find("Status: 200 OK\r\n") == 0);
    CHECK(steady_clock::now() - start < milliseconds(2000));
    pool.Stop();
    CHECK(pool.WaitStopped(milliseconds(3000)));
  }

  TEST_CASE("an idle kept-alive connection is closed after keep_alive_idle") {
    QuietLogs quiet;
    REQUIRE(FCGX_Init() == 0);
    TestSocket socket;
    SnapshotHolder holder(std::make_shared<testing::EchoHandler>(), nullptr);
    PoolTimeouts timeouts;
    timeouts.keep_alive_idle = milliseconds(100);
    WorkerPool pool(socket.fd(), 1, holder, timeouts);
    REQUIRE(pool.Start().ok());
    core::UniqueFd fd = testing::ConnectUnix(socket.path);
    testing::FcgiClient client(fd.get());
    CHECK(client.Request(Params("/one"), "", true, 1).find("/one") != std::string::npos);
    // The single thread gives the idle connection up and serves a new one.
    char byte;
    CHECK(read(fd.get(), &byte, 1) == 0);  // EOF: closed by the pool
    fd.reset();
    CHECK(Get(socket.path, "/two").find("/two") != std::string::npos);
    pool.Stop();
    CHECK(pool.WaitStopped(milliseconds(3000)));
  }

  TEST_CASE("two pools sharing one socket, like pre-forked siblings, split the load") {
    QuietLogs quiet;
    REQUIRE(FCGX_Init() == 0);
    TestSocket socket;
    auto handler_a = std::make_shared<testing::EchoHandler>("A");
    auto handler_b = std::make_shared<testing::EchoHandler>("B");
    SnapshotHolder holder_a(handler_a, nullptr);
    SnapshotHolder holder_b(handler_b, nullptr);
    WorkerPool pool_a(socket.fd(), 2, holder_a);
    WorkerPool pool_b(socket.fd(), 2, holder_b);
    REQUIRE(pool_a.Start().ok());
    REQUIRE(pool_b.Start().ok());
    std::vector<std::future<std::string>> answers;
    for (int i = 0; i < 40; ++i) {
      answers.push_back(std::async(std::launch::async, [&] { return Get(socket.path, "/x"); }));
    }
    int ok = 0;
    for (auto& answer : answers) ok += answer.get().find("Status: 200 OK") == 0;
    CHECK(ok == 40);
    CHECK(handler_a->calls + handler_b->calls == 40);
    // Stopping one sibling leaves the other serving on the same socket.
    pool_a.Stop();
    CHECK(pool_a.WaitStopped(milliseconds(2000)));
    CHECK(Get(socket.path, "/after").find("\r\n\r\nB POST /after") != std::string::npos);
    pool_b.Stop();
    CHECK(pool_b.WaitStopped(milliseconds(2000)));
  }
}

}  // namespace
}  // namespace x2gobroker::fcgi
