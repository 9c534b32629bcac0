// SPDX-License-Identifier: AGPL-3.0-or-later
// Command-line options of x2gobroker-loadchecker. Parsing is a pure function (testable).
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/log.h"
#include "core/status.h"

namespace x2gobroker::loadchecker {

struct Options {
  std::optional<std::string> config_file;  // -C; else X2GOBROKER_CONFIG or the built-in default
  std::optional<std::string> socket;       // --socket; else X2GOBROKER_LOADCHECKER_SOCKET / default
  mode_t socket_mode = 0660;               // the broker's group must be able to connect
  bool once = false;                       // one polling cycle, table to stdout, exit
  // --query BACKEND PROFILE: ask the running daemon, print host:value lines, exit.
  std::optional<std::pair<std::string, std::string>> query;
  std::optional<core::LogLevel> log_level;
  bool help = false;
  bool version = false;
};

// Parses argv[1..]. Accepts "--name value" and "--name=value"; -C is the short form of
// --config. --once and --query exclude each other. On failure returns InvalidArgument with a
// one-line message naming the option.
core::Result<Options> ParseOptions(const std::vector<std::string>& args);

// The --help text.
std::string UsageText(std::string_view program);

}  // namespace x2gobroker::loadchecker
