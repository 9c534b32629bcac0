// SPDX-License-Identifier: AGPL-3.0-or-later
// RunSubprocess: run a program with an argv (never a shell), feed it `stdin_data`, collect its
// stdout and stderr (bounded), and kill it when the time-out passes. Used for the LOCAL agent
// and the optional scripts. The child starts with a clean signal mask and default handlers (the
// broker's threads block SIGTERM/SIGHUP and ignore SIGPIPE) and only the given environment.
// Thread-safe: pipes are close-on-exec, so concurrent spawns do not leak them into each other.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "core/status.h"

namespace x2gobroker::core {

struct SubprocessSpec {
  std::vector<std::string> argv;  // argv[0] is the absolute path of the program
  std::vector<std::string> env;   // "NAME=value" entries; nothing else is inherited
  std::string stdin_data;         // empty: stdin is /dev/null
  std::chrono::milliseconds timeout{10000};
  size_t max_output_bytes = 1 << 20;  // per stream
};

struct SubprocessOutput {
  std::string out;
  std::string err;
  int wait_status = 0;  // as waitpid() reports it
};

// Unavailable when the program cannot be started or writes more than the limit,
// DeadlineExceeded when it does not finish in time (it is killed and reaped either way).
Result<SubprocessOutput> RunSubprocess(const SubprocessSpec& spec);

}  // namespace x2gobroker::core
