// SPDX-License-Identifier: AGPL-3.0-or-later
#include "fcgi/file_watcher.h"

#include <doctest/doctest.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

namespace x2gobroker::fcgi {
namespace {

// A temporary directory removed at the end of the test.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    char pattern[] = "/tmp/fcgi_watcher_test.XXXXXX";
    path = mkdtemp(pattern);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string File(const char* name) const { return (path / name).string(); }
};

void Write(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::trunc) << text; }

// Moves the mtime forward so that changes are seen even on coarse-timestamp file systems.
void Touch(const std::string& path, int seconds_ahead) {
  auto when = std::filesystem::last_write_time(path) + std::chrono::seconds(seconds_ahead);
  std::filesystem::last_write_time(path, when);
}

TEST_SUITE("fcgi/file_watcher") {
  TEST_CASE("the first check only records") {
    TempDir dir;
    Write(dir.File("a"), "1");
    FileWatcher watcher([&] { return std::vector<std::string>{dir.File("a")}; });
    CHECK_FALSE(watcher.Changed());
    CHECK_FALSE(watcher.Changed());
  }

  TEST_CASE("edits in place, replacement by rename and deletion are changes") {
    TempDir dir;
    const std::string a = dir.File("a");
    Write(a, "1");
    FileWatcher watcher([&] { return std::vector<std::string>{a}; });
    watcher.Rebase();

    SUBCASE("edit in place") {
      Write(a, "12");
      CHECK(watcher.Changed());
    }
    SUBCASE("same size, newer mtime") {
      Write(a, "2");
      Touch(a, 5);
      CHECK(watcher.Changed());
    }
    SUBCASE("replaced by rename") {
      Write(dir.File("a.new"), "1");
      std::filesystem::last_write_time(dir.File("a.new"), std::filesystem::last_write_time(a));
      std::filesystem::rename(dir.File("a.new"), a);
      CHECK(watcher.Changed());  // same size and mtime, new inode
    }
    SUBCASE("deleted, then re-created") {
      std::filesystem::remove(a);
      CHECK(watcher.Changed());
      CHECK_FALSE(watcher.Changed());
      Write(a, "1");
      CHECK(watcher.Changed());
    }
  }

  TEST_CASE("a file new to the list is recorded, not reported") {
    TempDir dir;
    Write(dir.File("a"), "1");
    Write(dir.File("b"), "1");
    std::vector<std::string> files = {dir.File("a")};
    FileWatcher watcher([&] { return files; });
    watcher.Rebase();
    files.push_back(dir.File("b"));
    CHECK_FALSE(watcher.Changed());
    Write(dir.File("b"), "22");
    CHECK(watcher.Changed());
  }

  TEST_CASE("the thread calls back on a change and stops promptly") {
    TempDir dir;
    const std::string a = dir.File("a");
    Write(a, "1");
    std::atomic<int> calls{0};
    auto start = std::chrono::steady_clock::now();
    {
      WatcherThread thread([&] { return std::vector<std::string>{a}; }, [&] { ++calls; },
                           std::chrono::milliseconds(20));
      std::this_thread::sleep_for(std::chrono::milliseconds(60));
      Write(a, "changed");
      for (int i = 0; i < 100 && calls == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    CHECK(calls == 1);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
  }
}

}  // namespace
}  // namespace x2gobroker::fcgi
