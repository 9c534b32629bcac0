// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/subprocess.h"

#include <doctest/doctest.h>
#include <sys/wait.h>

using namespace x2gobroker::core;

TEST_SUITE("core/subprocess") {
  TEST_CASE("passes stdin through, separates stdout and stderr, reports the exit status") {
    SubprocessSpec spec;
    spec.argv = {"/bin/sh", "-c", "cat; echo err >&2; exit 3"};
    spec.stdin_data = "hello\n";
    Result<SubprocessOutput> r = RunSubprocess(spec);
    REQUIRE(r.ok());
    CHECK(r->out == "hello\n");
    CHECK(r->err == "err\n");
    CHECK(WIFEXITED(r->wait_status));
    CHECK(WEXITSTATUS(r->wait_status) == 3);
  }

  TEST_CASE("only the given environment reaches the child") {
    SubprocessSpec spec;
    spec.argv = {"/usr/bin/env"};
    spec.env = {"PATH=/usr/bin:/bin", "ONLY=this"};
    Result<SubprocessOutput> r = RunSubprocess(spec);
    REQUIRE(r.ok());
    CHECK(r->out == "PATH=/usr/bin:/bin\nONLY=this\n");
  }

  TEST_CASE("a child that hangs is killed at the time-out") {
    SubprocessSpec spec;
    spec.argv = {"/bin/sleep", "30"};
    spec.timeout = std::chrono::milliseconds(200);
    auto start = std::chrono::steady_clock::now();
    Result<SubprocessOutput> r = RunSubprocess(spec);
    CHECK(r.status().code() == StatusCode::kDeadlineExceeded);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
  }

  TEST_CASE("a child that never reads a large input does not block us") {
    SubprocessSpec spec;
    spec.argv = {"/bin/true"};
    spec.stdin_data = std::string(4 << 20, 'x');
    Result<SubprocessOutput> r = RunSubprocess(spec);
    REQUIRE(r.ok());
    CHECK(WEXITSTATUS(r->wait_status) == 0);
  }

  TEST_CASE("output over the limit, relative paths and missing programs are errors") {
    SubprocessSpec big;
    big.argv = {"/bin/sh", "-c", "head -c 100000 /dev/zero"};
    big.max_output_bytes = 1000;
    CHECK(RunSubprocess(big).status().code() == StatusCode::kUnavailable);
    SubprocessSpec relative;
    relative.argv = {"sh"};
    CHECK(RunSubprocess(relative).status().code() == StatusCode::kInvalidArgument);
    SubprocessSpec missing;
    missing.argv = {"/nonexistent/program"};
    CHECK_FALSE(RunSubprocess(missing).ok());
  }
}
