// SPDX-License-Identifier: AGPL-3.0-or-later
#include "loadchecker/options.h"

#include <sys/un.h>

#include "core/option_cursor.h"

namespace x2gobroker::loadchecker {
core::Result<Options> ParseOptions(const std::vector<std::string>& args) {
  Options options;
  // --query takes two words; OptionCursor knows one value per option, so the second one is
  // taken off the argument list here, before the cursor sees it.
  std::vector<std::string> rest;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--query") {
      if (i + 2 >= args.size()) return core::InvalidArgument("--query: expected BACKEND PROFILE");
      options.query.emplace(args[i + 1], args[i + 2]);
      i += 2;
      continue;
    }
    rest.push_back(args[i]);
  }
  core::OptionCursor cursor(rest);
  while (cursor.Next()) {
    const std::string& name = cursor.name();
    std::string text;
    long number = 0;
    core::Status status;
    if (name == "-C" || name == "--config") {
      if (!(status = cursor.Value(&text)).ok()) return status;
      if (text.empty()) return cursor.Bad("empty file name");
      options.config_file = text;
    } else if (name == "--socket") {
      if (!(status = cursor.Value(&text)).ok()) return status;
      if (text.empty() || text[0] != '/') return cursor.Bad("expected an absolute path");
      if (text.size() >= sizeof(sockaddr_un{}.sun_path)) return cursor.Bad("path too long");
      options.socket = text;
    } else if (name == "--socket-mode") {
      if (!(status = cursor.Value(&text)).ok()) return status;
      if (!core::ParseLongInRange(text, 8, 0, 0777, &number)) return cursor.Bad("expected an octal mode such as 0660");
      options.socket_mode = static_cast<mode_t>(number);
    } else if (name == "--once") {
      if (!(status = cursor.Flag()).ok()) return status;
      options.once = true;
    } else if (name == "--log-level") {
      if (!(status = cursor.Value(&text)).ok()) return status;
      options.log_level = core::ParseLogLevel(text);
      if (!options.log_level) return cursor.Bad("expected debug, info, warning or error");
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
  if (options.once && options.query) return core::InvalidArgument("--once and --query exclude each other");
  return options;
}

std::string UsageText(std::string_view program) {
  std::string p(program);
  return "Usage: " + p + " [OPTION]...\n"
         "       " + p + " --query BACKEND PROFILE [--socket PATH]\n"
         "X2Go Session Broker load checker: polls `checkload` on every server of the SSH-mode\n"
         "profiles that use the load checker, every load-checker-intervals seconds, and answers\n"
         "the broker on a UNIX socket.\n"
         "\n"
         "  -C, --config FILE        x2gobroker.conf (default $X2GOBROKER_CONFIG, else\n"
         "                           /etc/x2go/x2gobroker.conf)\n"
         "  --socket PATH            listen (or, with --query, connect) here (default\n"
         "                           $X2GOBROKER_LOADCHECKER_SOCKET, else\n"
         "                           /run/x2gobroker/x2gobroker-loadchecker.socket)\n"
         "  --socket-mode MODE       permissions of the socket (default 0660)\n"
         "  --once                   run one polling cycle, print BACKEND<TAB>PROFILE<TAB>HOST<TAB>VALUE\n"
         "                           lines to stdout and exit\n"
         "  --query BACKEND PROFILE  ask the running daemon; prints host:value lines (nothing for\n"
         "                           a profile it does not poll); exit 3 if it does not answer\n"
         "  --log-level LEVEL        debug, info (default), warning or error\n"
         "  -h, --help               show this help\n"
         "  --version                show the version\n"
         "\n"
         "Signals: SIGHUP reloads the configuration (a broken one is refused and the running one\n"
         "kept); SIGTERM/SIGINT exit and remove the socket. Only the daemon's own uid and root may\n"
         "connect to the socket.\n";
}

}  // namespace x2gobroker::loadchecker
