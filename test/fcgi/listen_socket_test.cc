// SPDX-License-Identifier: AGPL-3.0-or-later
#include "fcgi/listen_socket.h"

#include <doctest/doctest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "test/fcgi/fcgi_test_client.h"

namespace x2gobroker::fcgi {
namespace {

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    char pattern[] = "/tmp/fcgi_socket_test.XXXXXX";
    path = mkdtemp(pattern);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

SocketSpec Unix(const std::string& path) {
  SocketSpec spec;
  spec.kind = SocketSpec::Kind::kUnix;
  spec.path = path;
  return spec;
}

TEST_SUITE("fcgi/listen_socket") {
  TEST_CASE("a unix socket gets the requested mode and is removed at the end") {
    TempDir dir;
    std::string path = (dir.path / "s.sock").string();
    auto socket = OpenListenSocket(Unix(path), 0660, 8);
    REQUIRE(socket.ok());
    struct stat info {};
    REQUIRE(stat(path.c_str(), &info) == 0);
    CHECK(S_ISSOCK(info.st_mode));
    CHECK((info.st_mode & 0777) == 0660);
    CHECK(testing::ConnectUnix(path).valid());
    RemoveCreatedSocket(socket.value());
    CHECK_FALSE(std::filesystem::exists(path));
  }

  TEST_CASE("a live socket is refused, a stale one replaced, a regular file refused") {
    TempDir dir;
    std::string path = (dir.path / "s.sock").string();
    {
      auto first = OpenListenSocket(Unix(path), 0600, 8);
      REQUIRE(first.ok());
      auto second = OpenListenSocket(Unix(path), 0600, 8);
      CHECK_FALSE(second.ok());
    }  // closed, file left behind as after a crash
    CHECK(std::filesystem::exists(path));
    auto replaced = OpenListenSocket(Unix(path), 0600, 8);
    CHECK(replaced.ok());

    std::string plain = (dir.path / "file").string();
    std::ofstream(plain) << "x";
    CHECK_FALSE(OpenListenSocket(Unix(plain), 0600, 8).ok());
    CHECK(std::filesystem::exists(plain));
  }

  TEST_CASE("RemoveCreatedSocket leaves a successor's socket alone") {
    TempDir dir;
    std::string path = (dir.path / "s.sock").string();
    auto first = OpenListenSocket(Unix(path), 0600, 8);
    REQUIRE(first.ok());
    std::filesystem::remove(path);
    auto successor = OpenListenSocket(Unix(path), 0600, 8);
    REQUIRE(successor.ok());
    RemoveCreatedSocket(first.value());
    CHECK(std::filesystem::exists(path));
  }

  TEST_CASE("TCP on loopback with an ephemeral port") {
    SocketSpec spec;
    spec.kind = SocketSpec::Kind::kTcp;
    spec.host = "127.0.0.1";
    spec.port = "0";  // the kernel picks; ParseSocketSpec refuses 0, the opener does not care
    auto socket = OpenListenSocket(spec, 0, 8);
    CHECK(socket.ok());
  }
}

}  // namespace
}  // namespace x2gobroker::fcgi
