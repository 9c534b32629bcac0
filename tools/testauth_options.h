// SPDX-License-Identifier: AGPL-3.0-or-later
// Command line of x2gobroker-testauth (PROTOCOL.md §12.3). Pure, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/secret_string.h"
#include "core/status.h"

namespace x2gobroker::tools {

struct TestauthOptions {
  std::string user;
  std::optional<core::SecretString> password;  // -p; else read from the tty or stdin
  std::string config_file;
  std::string backend;  // "" = the default backend (X2GOBROKER_DEFAULT_BACKEND, inifile)
  bool debug = false;
  bool help = false;
};

// -u/--username/--user NAME (required unless --help), -p/--password PW, -C/--config-file
// FILE, -b/--backend NAME, -d/--debug, -h/--help. InvalidArgument otherwise; the password is
// never part of a message. *out only on OK.
core::Status ParseTestauthOptions(const std::vector<std::string>& args, TestauthOptions* out);

std::string TestauthUsage();

}  // namespace x2gobroker::tools
