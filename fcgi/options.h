// SPDX-License-Identifier: AGPL-3.0-or-later
// Command-line options of x2gobroker-fcgi. Parsing is a pure function so that it can be tested.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/log.h"
#include "core/status.h"

namespace x2gobroker::fcgi {

// Where the FastCGI listen socket comes from.
struct SocketSpec {
  enum class Kind {
    kInherited,  // fd 0 (spawn-fcgi) or fd 3 (systemd socket activation, LISTEN_FDS=1)
    kUnix,       // unix:PATH, created by us
    kTcp,        // HOST:PORT or [V6]:PORT, created by us
  };
  Kind kind = Kind::kInherited;
  std::string path;  // kUnix
  std::string host;  // kTcp, brackets removed
  std::string port;  // kTcp, decimal 1..65535
};

struct Options {
  int threads = 8;             // worker threads per process
  SocketSpec socket;
  mode_t socket_mode = 0660;   // for a unix socket we create: the web server's group needs rw
  int backlog = 128;
  int workers = 0;             // 0: serve in this process; N: pre-fork N worker processes
  std::optional<std::string> config_file;  // -C; else X2GOBROKER_CONFIG or the built-in default
  bool debug = false;          // -d: debug mode of PROTOCOL.md §1.4 (GET allowed)
  std::optional<core::LogLevel> log_level;
  // --log-dir: access.log, broker.log and error.log there (core::OpenLogFiles); else stderr.
  std::optional<std::string> log_dir;
  bool check_config = false;
  bool help = false;
  bool version = false;
};

// Parses argv[1..]. Accepts "--name value" and "--name=value"; -C and -d are short forms.
// On failure returns InvalidArgument with a one-line message naming the option.
core::Result<Options> ParseOptions(const std::vector<std::string>& args);

// "unix:PATH" or "HOST:PORT" ("[::1]:9000" for IPv6). A host is required: FastCGI has no
// authentication, so listening on every interface must be asked for explicitly (0.0.0.0).
core::Result<SocketSpec> ParseSocketSpec(std::string_view text);

// The --help text.
std::string UsageText(std::string_view program);

}  // namespace x2gobroker::fcgi
