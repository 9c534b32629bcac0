// SPDX-License-Identifier: AGPL-3.0-or-later
// core/log's files (--log-dir). OpenLogFiles changes process-wide state for good, so each case
// runs it in a forked child and checks the files from the parent.
#include "core/log.h"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

using namespace x2gobroker::core;

namespace {

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Runs `body` in a child; returns its exit status (0: every step succeeded).
template <typename Body>
int InChild(Body body) {
  pid_t pid = fork();
  if (pid == 0) _exit(body());
  int status = -1;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 99;
}

}  // namespace

TEST_SUITE("core/log") {
  TEST_CASE("access, broker and error lines go to their files; SIGUSR1-style reopen follows a rename") {
    char dir_template[] = "/tmp/x2gobroker-log-test-XXXXXX";
    REQUIRE(mkdtemp(dir_template) != nullptr);
    const std::string dir = dir_template;
    int rc = InChild([&] {
      if (!OpenLogFiles(dir).ok()) return 1;
      LogAccess("rid1 127.0.0.1 \"POST /plain/\" 200 1.0ms user=\"u\" task=\"t\"");
      LogInfo("an info line");
      LogError("an error line");
      if (rename((dir + "/access.log").c_str(), (dir + "/access.log.1").c_str()) != 0) return 2;
      LogAccess("rid2 after the rename, before the reopen");
      if (!ReopenLogFiles().ok()) return 3;
      LogAccess("rid3 after the reopen");
      return 0;
    });
    CHECK(rc == 0);
    std::string rotated = Read(dir + "/access.log.1");
    std::string access = Read(dir + "/access.log");
    std::string broker = Read(dir + "/broker.log");
    std::string error = Read(dir + "/error.log");
    CHECK(rotated.find("] INFO rid1 127.0.0.1") != std::string::npos);
    CHECK(rotated.find("rid2") != std::string::npos);
    CHECK(rotated.find("rid3") == std::string::npos);
    CHECK(access.find("rid3 after the reopen") != std::string::npos);
    CHECK(access.find("rid1") == std::string::npos);
    CHECK(broker.find("INFO an info line") != std::string::npos);
    CHECK(broker.find("ERROR an error line") != std::string::npos);
    CHECK(broker.find("rid1") == std::string::npos);
    CHECK(error.find("ERROR an error line") != std::string::npos);
    CHECK(error.find("an info line") == std::string::npos);
    struct stat st{};
    REQUIRE(stat((dir + "/access.log").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777 & ~0640) == 0);
    for (const char* name : {"/access.log", "/access.log.1", "/broker.log", "/error.log"}) unlink((dir + name).c_str());
    rmdir(dir.c_str());
  }

  TEST_CASE("a directory that cannot be opened is an error naming the file") {
    int rc = InChild([] {
      Status status = OpenLogFiles("/nonexistent-x2gobroker-dir");
      if (status.ok()) return 1;
      return status.message().find("/nonexistent-x2gobroker-dir/access.log") != std::string::npos ? 0 : 2;
    });
    CHECK(rc == 0);
  }
}
