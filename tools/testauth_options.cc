// SPDX-License-Identifier: AGPL-3.0-or-later
#include "tools/testauth_options.h"

#include "core/option_cursor.h"

namespace x2gobroker::tools {

core::Status ParseTestauthOptions(const std::vector<std::string>& args, TestauthOptions* out) {
  TestauthOptions o;
  core::OptionCursor cursor(args);
  while (cursor.Next()) {
    const std::string& name = cursor.name();
    core::Status s;
    if (name == "-u" || name == "--username" || name == "--user") {
      if (!(s = cursor.Value(&o.user)).ok()) return s;
    } else if (name == "-p" || name == "--password") {
      std::string value;
      if (!(s = cursor.Value(&value)).ok()) return s;
      o.password.emplace(value);
      explicit_bzero(value.data(), value.size());
    } else if (name == "-C" || name == "--config-file") {
      if (!(s = cursor.Value(&o.config_file)).ok()) return s;
    } else if (name == "-b" || name == "--backend") {
      if (!(s = cursor.Value(&o.backend)).ok()) return s;
    } else if (name == "-d" || name == "--debug") {
      if (!(s = cursor.Flag()).ok()) return s;
      o.debug = true;
    } else if (name == "-h" || name == "--help") {
      if (!(s = cursor.Flag()).ok()) return s;
      o.help = true;
    } else {
      return core::InvalidArgument("unknown option: " + name);
    }
  }
  if (!o.help && o.user.empty()) return core::InvalidArgument("a user name is required (-u USER)");
  *out = std::move(o);
  return core::Status::Ok();
}

std::string TestauthUsage() {
  return "Usage: x2gobroker-testauth -u USER [-p PASSWORD] [-b BACKEND] [-C FILE] [-d]\n"
         "Check a password with the authentication mechanism the broker uses for a backend\n"
         "([broker_<backend>] auth-mech, else [global] default-auth-mech: pam, https_get, none).\n"
         "\n"
         "  -u, --username, --user U  the user to check\n"
         "  -p, --password PW         the password (visible to other local users in the process\n"
         "                            list: prefer the prompt, or a pipe on stdin)\n"
         "  -b, --backend NAME        inifile (default), yaml, zeroconf\n"
         "  -C, --config-file FILE    x2gobroker.conf (default /etc/x2go/x2gobroker.conf)\n"
         "  -d, --debug               log what the mechanism does (never the password)\n"
         "  -h, --help                this text\n"
         "\n"
         "Without -p the password is prompted for on the terminal without echo, or read as one\n"
         "line from stdin when that is not a terminal. pam asks x2gobroker-authservice (its socket:\n"
         "X2GOBROKER_AUTHSERVICE_SOCKET) and falls back to PAM in this process when it is not running.\n"
         "Prints `Authentication succeeded.` (exit 0) or `Authentication failed!` (exit 255; a\n"
         "mechanism that could not be asked is explained on stderr). Exit 2: usage.\n";
}

}  // namespace x2gobroker::tools
