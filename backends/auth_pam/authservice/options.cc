// SPDX-License-Identifier: AGPL-3.0-or-later
#include "backends/auth_pam/authservice/options.h"

#include <cstdlib>

#include "core/option_cursor.h"

namespace x2gobroker::backends::auth_pam {
namespace {

bool IsTrue(const std::string& v) { return v == "1" || v == "on" || v == "true" || v == "yes"; }

// PAM service names become file names under /etc/pam.d.
bool ValidServiceName(const std::string& name) {
  if (name.empty() || name.size() > 64 || name[0] == '.') return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
              c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

AuthserviceEnvironment AuthserviceEnvironmentFromProcess() {
  auto get = [](const char* name) {
    const char* v = std::getenv(name);
    return std::string(v == nullptr ? "" : v);
  };
  return {get("X2GOBROKER_AUTHSERVICE_SOCKET"), get("X2GOBROKER_DAEMON_USER"), get("X2GOBROKER_DAEMON_GROUP"),
          get("X2GOBROKER_DEBUG")};
}

core::Result<AuthserviceOptions> ParseAuthserviceOptions(const std::vector<std::string>& args,
                                                        const AuthserviceEnvironment& env) {
  AuthserviceOptions o;
  if (!env.authservice_socket.empty()) o.socket_path = env.authservice_socket;
  if (!env.daemon_user.empty()) o.daemon_user = env.daemon_user;
  if (!env.daemon_group.empty()) o.group = env.daemon_group;
  o.debug = IsTrue(env.debug);

  core::OptionCursor cursor(args);
  while (cursor.Next()) {
    const std::string& name = cursor.name();
    std::string text;
    long n = 0;
    core::Status s;
    // --socket-file, -i and "0o660" are the reference's spellings (drop-in for its units).
    if (name == "-s" || name == "--socket" || name == "--socket-file") {
      if (!(s = cursor.Value(&text)).ok()) return s;
      if (text.empty() || text[0] != '/') return cursor.Bad("expected an absolute path");
      o.socket_path = text;
    } else if (name == "-o" || name == "--owner") {
      if (!(s = cursor.Value(&text)).ok()) return s;
      if (text.empty()) return cursor.Bad("empty user");
      o.owner = text;
    } else if (name == "-g" || name == "--group") {
      if (!(s = cursor.Value(&text)).ok()) return s;
      if (text.empty()) return cursor.Bad("empty group");
      o.group = text;
    } else if (name == "-p" || name == "--permissions") {
      if (!(s = cursor.Value(&text)).ok()) return s;
      if (text.size() > 2 && text.compare(0, 2, "0o") == 0) text.erase(0, 2);
      if (!core::ParseLongInRange(text, 8, 0, 0777, &n)) return cursor.Bad("expected an octal mode such as 0660");
      o.permissions = static_cast<mode_t>(n);
    } else if (name == "--allow-uid") {
      if (!(s = cursor.Value(&text)).ok()) return s;
      if (text.empty()) return cursor.Bad("empty user");
      o.allow_uids.push_back(text);
    } else if (name == "--pam-service") {
      if (!(s = cursor.Value(&text)).ok()) return s;
      if (!ValidServiceName(text)) return cursor.Bad("expected a file name under /etc/pam.d");
      o.pam_service = text;
    } else if (name == "--max-concurrent") {
      // PAM transactions run in threads; a few dozen keep LDAP servers and CPUs busy enough.
      if (!(s = cursor.Integer(1, 256, &n)).ok()) return s;
      o.max_concurrent = static_cast<int>(n);
    } else if (name == "--max-connections") {
      if (!(s = cursor.Integer(1, 4096, &n)).ok()) return s;
      o.max_connections = static_cast<int>(n);
    } else if (name == "--read-timeout") {
      if (!(s = cursor.Integer(1, 300000, &n)).ok()) return s;
      o.read_timeout = std::chrono::milliseconds(n);
    } else if (name == "--fail-delay") {
      if (!(s = cursor.Integer(0, 60000, &n)).ok()) return s;
      o.fail_delay = std::chrono::milliseconds(n);
    } else if (name == "--fail-delay-user") {
      if (!(s = cursor.Integer(0, 1000, &n)).ok()) return s;
      o.throttle.user_threshold = static_cast<int>(n);
    } else if (name == "--fail-delay-client") {
      if (!(s = cursor.Integer(0, 1000, &n)).ok()) return s;
      o.throttle.client_threshold = static_cast<int>(n);
    } else if (name == "--fail-window") {
      if (!(s = cursor.Integer(1, 86400, &n)).ok()) return s;
      o.throttle.window = std::chrono::seconds(n);
    } else if (name == "--fail-delay-step") {
      if (!(s = cursor.Integer(1, 60000, &n)).ok()) return s;
      o.throttle.step = std::chrono::milliseconds(n);
    } else if (name == "--fail-delay-max") {
      if (!(s = cursor.Integer(0, 60000, &n)).ok()) return s;
      o.throttle.cap = std::chrono::milliseconds(n);
    } else if (name == "-d" || name == "--debug") {
      if (!(s = cursor.Flag()).ok()) return s;
      o.debug = true;
    } else if (name == "-i" || name == "--debug-interactively") {
      if (!(s = cursor.Flag()).ok()) return s;  // we always log to stderr
    } else if (name == "-h" || name == "--help") {
      if (!(s = cursor.Flag()).ok()) return s;
      o.help = true;
    } else if (name == "--version") {
      if (!(s = cursor.Flag()).ok()) return s;
      o.version = true;
    } else {
      return core::InvalidArgument("unknown option: " + name);
    }
  }
  return o;
}

std::string AuthserviceUsage(const std::string& program) {
  return "Usage: " + program + " [options]\n"
         "The X2Go Session Broker's PAM authentication service. Runs as root, listens on a UNIX\n"
         "socket and checks passwords for the broker (PAM service x2gobroker).\n"
         "\n"
         "  -s, --socket PATH        (or --socket-file) socket (default $X2GOBROKER_AUTHSERVICE_SOCKET or\n"
         "                           " + std::string(kDefaultAuthserviceSocket) + "); a missing directory\n"
         "                           is created with mode 0770 and the socket's owner and group\n"
         "  -o, --owner USER         owner of the socket (default root)\n"
         "  -g, --group GROUP        group of the socket (default $X2GOBROKER_DAEMON_GROUP or x2gobroker)\n"
         "  -p, --permissions MODE   mode of the socket, octal (default 0660)\n"
         "      --allow-uid USER     a peer uid (or user name) allowed to ask; repeatable. Default: the\n"
         "                           broker's user ($X2GOBROKER_DAEMON_USER or x2gobroker) and root.\n"
         "                           Other peers are disconnected without an answer.\n"
         "      --pam-service NAME   PAM service (default x2gobroker, /etc/pam.d/x2gobroker)\n"
         "      --max-concurrent N   PAM transactions at once (default 16)\n"
         "      --max-connections N  open connections; more wait in the listen queue (default 256)\n"
         "      --read-timeout MS    a request must arrive within this time (default 5000)\n"
         "      --fail-delay MS      minimum time before any failure is answered, the same for\n"
         "                           unknown users and wrong passwords (default 2000)\n"
         "      --fail-delay-user N  after N failures of one user name within the window, space\n"
         "                           further attempts with a growing delay (default 5; 0 = off)\n"
         "      --fail-delay-client N  the same per client address (default 20; 0 = off)\n"
         "      --fail-window SEC    failures are forgotten this long after the last one (default 900)\n"
         "      --fail-delay-step MS first delay, doubled per further failure (default 1000)\n"
         "      --fail-delay-max MS  longest delay; an attempt that would wait longer is answered\n"
         "                           'unavailable' at once (default 10000)\n"
         "  -d, --debug              debug logging (also X2GOBROKER_DEBUG=1)\n"
         "  -i, --debug-interactively  accepted for compatibility (logs always go to stderr)\n"
         "  -h, --help               this text\n"
         "      --version            print the version\n"
         "\n"
         "Logs go to stderr (the journal under systemd). Passwords are never logged.\n"
         "SIGTERM or SIGINT: stop and remove the socket.\n";
}

}  // namespace x2gobroker::backends::auth_pam
