// SPDX-License-Identifier: AGPL-3.0-or-later
#include "fcgi/options.h"

#include <sys/un.h>

#include "core/option_cursor.h"

namespace x2gobroker::fcgi {
core::Result<SocketSpec> ParseSocketSpec(std::string_view text) {
  SocketSpec spec;
  if (text.substr(0, 5) == "unix:") {
    spec.kind = SocketSpec::Kind::kUnix;
    spec.path = std::string(text.substr(5));
    if (spec.path.empty()) return core::InvalidArgument("empty unix socket path");
    if (spec.path.size() >= sizeof(sockaddr_un{}.sun_path)) return core::InvalidArgument("unix socket path too long");
    if (spec.path.find('\0') != std::string::npos) return core::InvalidArgument("NUL in unix socket path");
    return spec;
  }
  size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return core::InvalidArgument("expected unix:PATH or HOST:PORT");
  std::string_view host = text.substr(0, colon);
  std::string_view port = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return core::InvalidArgument("write an IPv6 address in brackets: [::1]:PORT");
  }
  if (host.empty()) return core::InvalidArgument("missing host (use 127.0.0.1, or 0.0.0.0 for every interface)");
  long port_number = 0;
  if (!core::ParseLongInRange(port, 10, 1, 65535, &port_number)) return core::InvalidArgument("port must be 1..65535");
  spec.kind = SocketSpec::Kind::kTcp;
  spec.host = std::string(host);
  spec.port = std::to_string(port_number);
  return spec;
}

core::Result<Options> ParseOptions(const std::vector<std::string>& args) {
  Options options;
  core::OptionCursor cursor(args);
  while (cursor.Next()) {
    const std::string& name = cursor.name();
    std::string text;
    long number = 0;
    core::Status status;
    if (name == "--threads") {
      // More threads than this only queue behind the backends and the agents.
      if (!(status = cursor.Integer(1, 256, &number)).ok()) return status;
      options.threads = static_cast<int>(number);
    } else if (name == "--workers") {
      if (!(status = cursor.Integer(0, 64, &number)).ok()) return status;
      options.workers = static_cast<int>(number);
    } else if (name == "--backlog") {
      if (!(status = cursor.Integer(1, 65535, &number)).ok()) return status;
      options.backlog = static_cast<int>(number);
    } else if (name == "--socket") {
      if (!(status = cursor.Value(&text)).ok()) return status;
      auto spec = ParseSocketSpec(text);
      if (!spec.ok()) return cursor.Bad(spec.status().message());
      options.socket = std::move(spec).value();
    } else if (name == "--socket-mode") {
      if (!(status = cursor.Value(&text)).ok()) return status;
      if (!core::ParseLongInRange(text, 8, 0, 0777, &number)) return cursor.Bad("expected an octal mode such as 0660");
      options.socket_mode = static_cast<mode_t>(number);
    } else if (name == "-C" || name == "--config") {
      if (!(status = cursor.Value(&text)).ok()) return status;
      if (text.empty()) return cursor.Bad("empty file name");
      options.config_file = text;
    } else if (name == "-d" || name == "--debug") {
      if (!(status = cursor.Flag()).ok()) return status;
      options.debug = true;
    } else if (name == "--log-level") {
      if (!(status = cursor.Value(&text)).ok()) return status;
      options.log_level = core::ParseLogLevel(text);
      if (!options.log_level) return cursor.Bad("expected debug, info, warning or error");
    } else if (name == "--log-dir") {
      if (!(status = cursor.Value(&text)).ok()) return status;
      if (text.empty()) return cursor.Bad("empty directory name");
      options.log_dir = text;
    } else if (name == "--check-config") {
      if (!(status = cursor.Flag()).ok()) return status;
      options.check_config = true;
    } else if (name == "-h" || name == "--help") {
      if (!(status = cursor.Flag()).ok()) return status;
      options.help = true;
    } else if (name == "--version") {
      if (!(status = cursor.Flag()).ok()) return status;
      options.version = true;
    } else {
      return core::InvalidArgument("unknown option: " + name);
    }
  }
  return options;
}

std::string UsageText(std::string_view program) {
  std::string p(program);
  return "Usage: " + p + " [OPTION]...\n"
         "X2Go Session Broker as a FastCGI application (behind nginx or Apache).\n"
         "\n"
         "  --socket unix:PATH|HOST:PORT  listen here; without it, accept on the socket inherited\n"
         "                                as fd 0 (spawn-fcgi) or fd 3 (systemd, LISTEN_FDS=1)\n"
         "  --socket-mode MODE            permissions of a unix socket we create (default 0660)\n"
         "  --backlog N                   listen backlog of a socket we create (default 128)\n"
         "  --threads N                   worker threads per process (default 8)\n"
         "  --workers N                   pre-fork N worker processes sharing the socket (default 0:\n"
         "                                serve in this process)\n"
         "  -C, --config FILE             x2gobroker.conf (default $X2GOBROKER_CONFIG, else\n"
         "                                /etc/x2go/x2gobroker.conf)\n"
         "  -d, --debug                   debug mode: also answer GET on /plain/ and /json/\n"
         "  --log-level LEVEL             debug, info (default), warning or error\n"
         "  --log-dir DIR                 write DIR/access.log (one line per request), DIR/broker.log\n"
         "                                (everything else) and DIR/error.log (errors again) instead\n"
         "                                of stderr; SIGUSR1 reopens them (logrotate)\n"
         "  --check-config                load the configuration and the profiles, print every\n"
         "                                problem as file:line, exit 1 if there is an error\n"
         "  -h, --help                    show this help\n"
         "  --version                     show the version\n"
         "\n"
         "Signals: SIGHUP reloads the configuration (a broken one is refused and the running one\n"
         "kept); SIGUSR1 reopens the log files; SIGTERM/SIGINT stop accepting and exit once\n"
         "requests in flight are answered.\n"
         "Profile files are also reloaded when they change on disk.\n";
}

}  // namespace x2gobroker::fcgi
