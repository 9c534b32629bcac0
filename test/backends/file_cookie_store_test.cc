// SPDX-License-Identifier: AGPL-3.0-or-later
// Tests backends/cookie_store/file_cookie_store.cc against a private temporary directory.
#include "backends/cookie_store/file_cookie_store.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <latch>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/broker_config.h"
#include "core/secure_random.h"
#include "test/config/temp_dir.h"

namespace x2gobroker::backends::cookie_store {
namespace {

namespace fs = std::filesystem;
using core::CookieRecord;
using core::StatusCode;
using testing::TempDir;

core::CookieStorePtr MakeStore(const std::string& dir, int64_t auth_timeout = 36000, int64_t purge_interval = 60) {
  FileCookieStoreOptions options;
  options.directory = dir;
  options.auth_timeout = auth_timeout;
  options.purge_interval = purge_interval;
  core::Result<core::CookieStorePtr> store = MakeFileCookieStore(options);
  REQUIRE_MESSAGE(store.ok(), store.status().message());
  return *store;
}

CookieRecord Record(std::string user, std::string address = "127.0.0.1", int64_t issued = 1700000000) {
  return CookieRecord{std::move(user), std::move(address), issued};
}

// Every path below `root` (recursively) with its size: a snapshot to compare.
std::set<std::string> Tree(const std::string& root) {
  std::set<std::string> out;
  for (const auto& entry : fs::recursive_directory_iterator(root)) out.insert(entry.path().string());
  return out;
}

std::vector<std::string> Names(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename().string());
  return names;
}

void SetAge(const std::string& path, int64_t seconds_ago) {
  const time_t when = std::time(nullptr) - seconds_ago;
  timespec times[2] = {{when, 0}, {when, 0}};
  REQUIRE(utimensat(AT_FDCWD, path.c_str(), times, AT_SYMLINK_NOFOLLOW) == 0);
}

TEST_SUITE("backends/cookie_store") {

TEST_CASE("a stored cookie is taken once, with its user, address and issue time") {
  TempDir tmp;
  const std::string dir = tmp.path() + "/cookies";
  auto store = MakeStore(dir);
  const std::string token = core::RandomUuid4();
  REQUIRE(store->Put(token, Record("alice", "2001:db8::1", 1234567890)).ok());
  core::Result<CookieRecord> taken = store->Take(token, "alice");
  REQUIRE(taken.ok());
  CHECK(taken->user == "alice");
  CHECK(taken->client_address == "2001:db8::1");
  CHECK(taken->issued_at == 1234567890);
  core::Result<CookieRecord> again = store->Take(token, "alice");
  CHECK(again.status().code() == StatusCode::kNotFound);
  CHECK(Names(dir).empty());
}

TEST_CASE("an unknown token is NotFound") {
  TempDir tmp;
  auto store = MakeStore(tmp.path() + "/cookies");
  CHECK(store->Take(core::RandomUuid4(), "alice").status().code() == StatusCode::kNotFound);
  REQUIRE(store->Put(core::RandomUuid4(), Record("alice")).ok());
  CHECK(store->Take(core::RandomUuid4(), "alice").status().code() == StatusCode::kNotFound);
}

TEST_CASE("a cookie presented with another user's name stays for its owner") {
  TempDir tmp;
  auto store = MakeStore(tmp.path() + "/cookies");
  const std::string token = core::RandomUuid4();
  REQUIRE(store->Put(token, Record("alice")).ok());
  for (const std::string& impostor : std::vector<std::string>{"bob", "Alice", "alice ", "", std::string("alice\0", 6)}) {
    CAPTURE(impostor);
    CHECK(store->Take(token, impostor).status().code() == StatusCode::kNotFound);
  }
  CHECK(store->Take(token, "alice").ok());
}

TEST_CASE("re-storing a taken token (use-static-cookie) works and keeps the original time") {
  TempDir tmp;
  auto store = MakeStore(tmp.path() + "/cookies");
  const std::string token = core::RandomUuid4();
  REQUIRE(store->Put(token, Record("alice", "10.0.0.1", 100)).ok());
  for (int i = 0; i < 3; ++i) {
    core::Result<CookieRecord> taken = store->Take(token, "alice");
    REQUIRE(taken.ok());
    CHECK(taken->issued_at == 100);
    REQUIRE(store->Put(token, *taken).ok());
  }
  CHECK(store->Take(token, "alice").ok());
}

TEST_CASE("the file is named by the token's SHA-256, private, and holds neither token nor raw user") {
  TempDir tmp;
  const std::string dir = tmp.path() + "/cookies";
  auto store = MakeStore(dir);
  const std::string token = "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9";
  REQUIRE(store->Put(token, Record("../../etc/passwd")).ok());
  CHECK(CookieFileName("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  REQUIRE(Names(dir) == std::vector<std::string>{CookieFileName(token)});
  struct stat st {};
  REQUIRE(stat((dir + "/" + CookieFileName(token)).c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  REQUIRE(stat(dir.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
  std::ifstream in(dir + "/" + CookieFileName(token));
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(content.find(token) == std::string::npos);
  CHECK(content.find("passwd") == std::string::npos);
  CHECK(content.rfind("x2gobroker-cookie 1\n", 0) == 0);
}

TEST_CASE("any user name and address round-trip") {
  TempDir tmp;
  auto store = MakeStore(tmp.path() + "/cookies");
  const std::vector<std::string> users = {
      "alice", "thérèse", "../../etc/passwd", "a/b", std::string("nul\0byte", 8), "new\nline",
      "space and\ttab", std::string(4096, 'x'), std::string(16 * 1024, 'y'), "用户", "\xff\xfe"};
  for (const std::string& user : users) {
    CAPTURE(user.substr(0, 40));
    const std::string token = core::RandomUuid4();
    REQUIRE(store->Put(token, Record(user, "fe80::1%eth0")).ok());
    core::Result<CookieRecord> taken = store->Take(token, user);
    REQUIRE(taken.ok());
    CHECK(taken->user == user);
    CHECK(taken->client_address == "fe80::1%eth0");
  }
}

TEST_CASE("limits and bad records are refused") {
  TempDir tmp;
  auto store = MakeStore(tmp.path() + "/cookies");
  CHECK(store->Put(core::RandomUuid4(), Record(std::string(16 * 1024 + 1, 'x'))).code() ==
        StatusCode::kInvalidArgument);
  CHECK(store->Put(core::RandomUuid4(), Record("a", std::string(257, '1'))).code() == StatusCode::kInvalidArgument);
  CHECK(store->Put(core::RandomUuid4(), Record("a", "127.0.0.1", -1)).code() == StatusCode::kInvalidArgument);
}

TEST_CASE("hostile tokens never reach the file system") {
  TempDir tmp;
  const std::string dir = tmp.path() + "/store/cookies";
  fs::create_directories(tmp.path() + "/store");
  auto store = MakeStore(dir);
  const std::string first = core::RandomUuid4();  // creates the directory
  REQUIRE(store->Put(first, Record("mallory")).ok());
  REQUIRE(store->Take(first, "mallory").ok());
  const std::vector<std::string> tokens = {"../../../x", "/etc/passwd", "", ".", "..", "a/b",
                                           std::string("nul\0..", 6), std::string(1 << 20, 'A'),
                                           "%2e%2e%2f", "tmp.00000000000000000000000000000000"};
  const std::set<std::string> before = Tree(tmp.path());
  for (const std::string& token : tokens) {
    CAPTURE(token.substr(0, 40));
    REQUIRE(store->Put(token, Record("mallory")).ok());
    const std::set<std::string> during = Tree(tmp.path());
    CHECK(during.size() == before.size() + 1);
    CHECK(during.count(dir + "/" + CookieFileName(token)) == 1);
    CHECK(store->Take(token, "mallory").ok());
    CHECK(Tree(tmp.path()) == before);
  }
}

TEST_CASE("of concurrent threads taking the same cookie exactly one wins") {
  TempDir tmp;
  auto store = MakeStore(tmp.path() + "/cookies");
  constexpr int kRounds = 200;
  constexpr int kThreads = 4;
  int rounds_with_one_winner = 0;
  std::atomic<int> errors{0};
  for (int r = 0; r < kRounds; ++r) {
    const std::string token = core::RandomUuid4();
    REQUIRE(store->Put(token, Record("alice")).ok());
    std::latch start(kThreads);
    std::atomic<int> wins{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&] {
        start.arrive_and_wait();
        core::Result<CookieRecord> taken = store->Take(token, "alice");
        if (taken.ok()) {
          wins.fetch_add(1);
        } else if (taken.status().code() != StatusCode::kNotFound) {
          errors.fetch_add(1);
        }
      });
    }
    for (std::thread& t : threads) t.join();
    rounds_with_one_winner += wins.load() == 1 ? 1 : 0;
  }
  CHECK(errors.load() == 0);
  CHECK(rounds_with_one_winner == kRounds);
}

TEST_CASE("of several processes taking the same cookie exactly one wins") {
  TempDir tmp;
  const std::string dir = tmp.path() + "/cookies";
  auto store = MakeStore(dir);
  constexpr int kRounds = 30;
  constexpr int kProcesses = 4;
  for (int r = 0; r < kRounds; ++r) {
    const std::string token = core::RandomUuid4();
    REQUIRE(store->Put(token, Record("alice")).ok());
    int go[2];
    REQUIRE(pipe(go) == 0);
    std::vector<pid_t> children;
    for (int p = 0; p < kProcesses; ++p) {
      pid_t pid = fork();
      REQUIRE(pid >= 0);
      if (pid == 0) {
        close(go[1]);
        char c;
        (void)!read(go[0], &c, 1);  // wait until the parent closes the pipe
        auto own = MakeStore(dir);  // each worker process has its own store object
        core::Result<CookieRecord> taken = own->Take(token, "alice");
        _exit(taken.ok() ? 0 : taken.status().code() == StatusCode::kNotFound ? 1 : 2);
      }
      children.push_back(pid);
    }
    close(go[0]);
    close(go[1]);  // start them all
    int winners = 0, losers = 0;
    for (pid_t pid : children) {
      int status = 0;
      REQUIRE(waitpid(pid, &status, 0) == pid);
      REQUIRE(WIFEXITED(status));
      if (WEXITSTATUS(status) == 0) ++winners;
      if (WEXITSTATUS(status) == 1) ++losers;
    }
    CHECK(winners == 1);
    CHECK(losers == kProcesses - 1);
  }
  CHECK(Names(dir).empty());
}

TEST_CASE("expired records and stale debris are purged; fresh and foreign files stay") {
  TempDir tmp;
  const std::string dir = tmp.path() + "/cookies";
  // auth-timeout 100 s + the 60 s margin: files older than 160 s go. Interval 0: every Put
  // may purge (nothing is old yet while the files are set up).
  auto store = MakeStore(dir, /*auth_timeout=*/100, /*purge_interval=*/0);
  const std::string old_token = core::RandomUuid4(), fresh_token = core::RandomUuid4();
  REQUIRE(store->Put(old_token, Record("alice")).ok());
  REQUIRE(store->Put(fresh_token, Record("bob")).ok());
  SetAge(dir + "/" + CookieFileName(old_token), 200);
  SetAge(dir + "/" + CookieFileName(fresh_token), 150);
  const std::string tmp_debris = dir + "/tmp." + std::string(32, 'a');
  const std::string claim_debris = dir + "/claim." + std::string(64, 'b') + "." + std::string(32, 'c');
  const std::string foreign = dir + "/README";
  for (const std::string& f : {tmp_debris, claim_debris, foreign}) {
    std::ofstream(f) << "x";
    SetAge(f, 1000);
  }

  SUBCASE("PurgeCookieDirectory") {
    core::Result<int> purged = PurgeCookieDirectory(dir, 160);
    REQUIRE(purged.ok());
    CHECK(*purged == 3);
  }
  SUBCASE("at start-up (creating a store)") { MakeStore(dir, 100); }
  SUBCASE("opportunistically, on a Put once the interval has passed") {
    REQUIRE(store->Put(core::RandomUuid4(), Record("carol")).ok());
  }
  CHECK_FALSE(fs::exists(dir + "/" + CookieFileName(old_token)));
  CHECK_FALSE(fs::exists(tmp_debris));
  CHECK_FALSE(fs::exists(claim_debris));
  CHECK(fs::exists(foreign));
  CHECK(store->Take(old_token, "alice").status().code() == StatusCode::kNotFound);
  CHECK(store->Take(fresh_token, "bob").ok());
}

TEST_CASE("a purge does not run more often than the interval") {
  TempDir tmp;
  const std::string dir = tmp.path() + "/cookies";
  auto store = MakeStore(dir, /*auth_timeout=*/10, /*purge_interval=*/3600);
  const std::string token = core::RandomUuid4();
  REQUIRE(store->Put(token, Record("alice")).ok());
  SetAge(dir + "/" + CookieFileName(token), 1000);
  REQUIRE(store->Put(core::RandomUuid4(), Record("bob")).ok());
  CHECK(fs::exists(dir + "/" + CookieFileName(token)));  // expired, but not yet purged
}

TEST_CASE("an enormous or negative auth-timeout neither overflows nor purges live records") {
  TempDir tmp;
  const std::string dir = tmp.path() + "/cookies";
  for (int64_t timeout : {INT64_MAX, INT64_MIN, int64_t{-1}}) {
    CAPTURE(timeout);
    auto store = MakeStore(dir, timeout, /*purge_interval=*/0);
    const std::string token = core::RandomUuid4();
    REQUIRE(store->Put(token, Record("alice")).ok());
    REQUIRE(store->Put(core::RandomUuid4(), Record("bob")).ok());  // purges
    CHECK(store->Take(token, "alice").ok());
  }
}

TEST_CASE("malformed records and planted symlinks are not read") {
  TempDir tmp;
  const std::string dir = tmp.path() + "/cookies";
  auto store = MakeStore(dir);
  REQUIRE(store->Put(core::RandomUuid4(), Record("x")).ok());  // creates the directory
  const std::string target = tmp.path() + "/secret";
  std::ofstream(target) << "x2gobroker-cookie 1\nuser 616c696365\naddress 3132372e302e302e31\nissued 1\n";
  const std::string linked = core::RandomUuid4();
  REQUIRE(symlink(target.c_str(), (dir + "/" + CookieFileName(linked)).c_str()) == 0);
  CHECK(store->Take(linked, "alice").status().code() == StatusCode::kNotFound);
  CHECK(fs::exists(target));

  const std::vector<std::string> bad = {
      "", "garbage", "x2gobroker-cookie 1\nuser 616c696365\naddress 31\nissued 1",  // no final LF
      "x2gobroker-cookie 1\nuser 616C696365\naddress 31\nissued 1\n",               // upper-case hex
      "x2gobroker-cookie 1\nuser 616c69636\naddress 31\nissued 1\n",                // odd length
      "x2gobroker-cookie 1\nuser 616c696365\naddress 31\nissued -1\n",
      "x2gobroker-cookie 1\nuser 616c696365\naddress 31\nissued 01\n",
      "x2gobroker-cookie 1\nuser 616c696365\naddress 31\nissued 1\nextra 1\n",
      "x2gobroker-cookie 2\nuser 616c696365\naddress 31\nissued 1\n",
      "x2gobroker-cookie 1\naddress 31\nuser 616c696365\nissued 1\n"};
  for (const std::string& content : bad) {
    CAPTURE(content);
    const std::string token = core::RandomUuid4();
    std::ofstream(dir + "/" + CookieFileName(token)) << content;
    CHECK(store->Take(token, "alice").status().code() == StatusCode::kNotFound);
  }
  const std::string good = core::RandomUuid4();
  std::ofstream(dir + "/" + CookieFileName(good)) << "x2gobroker-cookie 1\nuser 616c696365\naddress 31\nissued 7\n";
  core::Result<CookieRecord> taken = store->Take(good, "alice");
  REQUIRE(taken.ok());
  CHECK(taken->client_address == "1");
  CHECK(taken->issued_at == 7);
}

TEST_CASE("the directory: created 0700 with its parents, refused when others may write it") {
  TempDir tmp;
  SUBCASE("missing: created by the first Put, not by creating the store") {
    const std::string dir = tmp.path() + "/var/lib/x2gobroker/cookies";
    auto store = MakeStore(dir);
    CHECK_FALSE(fs::exists(dir));
    CHECK(store->Take(core::RandomUuid4(), "a").status().code() == StatusCode::kNotFound);
    CHECK_FALSE(fs::exists(dir));
    REQUIRE(store->Put(core::RandomUuid4(), Record("a")).ok());
    struct stat st {};
    REQUIRE(stat(dir.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0700);
    CHECK(st.st_uid == geteuid());
  }
  SUBCASE("group- or world-writable: Unavailable, until fixed") {
    const std::string dir = tmp.path() + "/cookies";
    auto store = MakeStore(dir);
    const std::string token = core::RandomUuid4();
    REQUIRE(store->Put(token, Record("a")).ok());
    for (mode_t mode : {0777, 0720, 0702, 0770}) {
      CAPTURE(mode);
      REQUIRE(chmod(dir.c_str(), mode) == 0);
      core::Status put = store->Put(core::RandomUuid4(), Record("a"));
      CHECK(put.code() == StatusCode::kUnavailable);
      CHECK(put.message().find("writable") != std::string::npos);
      CHECK(store->Take(token, "a").status().code() == StatusCode::kUnavailable);
    }
    REQUIRE(chmod(dir.c_str(), 0750) == 0);  // readable by the group is acceptable
    CHECK(store->Take(token, "a").ok());
  }
  SUBCASE("owned by another user: Unavailable (needs root to set up)") {
    if (geteuid() != 0) return;
    const std::string dir = tmp.path() + "/cookies";
    fs::create_directory(dir);
    REQUIRE(chmod(dir.c_str(), 0700) == 0);
    REQUIRE(chown(dir.c_str(), 65534, 65534) == 0);
    auto store = MakeStore(dir);
    core::Status put = store->Put(core::RandomUuid4(), Record("a"));
    CHECK(put.code() == StatusCode::kUnavailable);
    CHECK(put.message().find("owned by uid 65534") != std::string::npos);
  }
  SUBCASE("a file instead of a directory: Unavailable") {
    const std::string dir = tmp.Write("cookies", "x");
    auto store = MakeStore(dir);
    CHECK(store->Put(core::RandomUuid4(), Record("a")).code() == StatusCode::kUnavailable);
  }
  SUBCASE("a symlink to a good directory is followed") {
    fs::create_directory(tmp.path() + "/real");
    REQUIRE(chmod((tmp.path() + "/real").c_str(), 0700) == 0);
    fs::create_directory_symlink(tmp.path() + "/real", tmp.path() + "/cookies");
    auto store = MakeStore(tmp.path() + "/cookies");
    const std::string token = core::RandomUuid4();
    REQUIRE(store->Put(token, Record("a")).ok());
    CHECK(fs::exists(tmp.path() + "/real/" + CookieFileName(token)));
  }
}

TEST_CASE("the broker's factory") {
  TempDir tmp;
  core::BrokerConfig config;
  config.cookie_directory = tmp.path() + "/cookies";
  core::CookieStoreFactory factory = MakeFileCookieStoreFactory();
  SUBCASE("uses cookie-directory") {
    core::Result<core::CookieStorePtr> store = factory(config);
    REQUIRE(store.ok());
    const std::string token = core::RandomUuid4();
    REQUIRE((*store)->Put(token, Record("a")).ok());
    CHECK(fs::exists(config.cookie_directory + "/" + CookieFileName(token)));
  }
  SUBCASE("refuses a relative path when cookies can be issued") {
    config.cookie_directory = "cookies";
    CHECK(factory(config).status().code() == StatusCode::kInvalidArgument);
    config.cookie_directory = "";
    CHECK(factory(config).status().code() == StatusCode::kInvalidArgument);
  }
  SUBCASE("leaves the file system alone when no cookie is ever issued") {
    config.require_password = false;
    config.cookie_directory = "relative/never/used";
    core::Result<core::CookieStorePtr> store = factory(config);
    REQUIRE(store.ok());
    CHECK((*store)->Put(core::RandomUuid4(), Record("a")).code() == StatusCode::kUnavailable);
    CHECK_FALSE(fs::exists("relative"));
  }
}

}  // TEST_SUITE

}  // namespace
}  // namespace x2gobroker::backends::cookie_store
