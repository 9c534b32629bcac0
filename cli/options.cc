// SPDX-License-Identifier: AGPL-3.0-or-later
#include "cli/options.h"

#include <array>

#include "core/log.h"
#include "core/option_cursor.h"

namespace x2gobroker::cli {
namespace {

// X2Go Client's clientevent options (PROTOCOL.md §8.1), stored in event_fields.
constexpr std::array<std::string_view, 9> kEventOptions = {"event", "server", "client", "cmd",    "display",
                                                           "start", "elapsed", "version", "os"};

bool IsEventOption(std::string_view name) {
  if (name.size() < 3 || name.substr(0, 2) != "--") return false;
  for (std::string_view e : kEventOptions) {
    if (name.substr(2) == e) return true;
  }
  return false;
}

void SetEventField(std::string name, std::string value, CliOptions* out) {
  for (auto& [n, v] : out->event_fields) {
    if (n == name) {
      v = std::move(value);
      return;
    }
  }
  out->event_fields.emplace_back(std::move(name), std::move(value));
}

}  // namespace

core::Result<CliOptions> ParseCliOptions(const std::vector<std::string>& args) {
  CliOptions options;
  core::OptionCursor cursor(args);
  while (cursor.Next()) {
    const std::string& name = cursor.name();
    if (name == "--") {
      while (cursor.Next()) options.after_double_dash.push_back(cursor.name());
      break;
    }
    std::optional<std::string>* value_slot = nullptr;
    bool* flag_slot = nullptr;
    if (name == "--task") {
      value_slot = &options.task;
    } else if (name == "--user") {
      value_slot = &options.user;
    } else if (name == "--login") {
      value_slot = &options.login;
    } else if (name == "--auth-cookie" || name == "--next-authid" || name == "--authid") {
      value_slot = &options.authid;
    } else if (name == "--profile-id" || name == "--sid") {
      value_slot = &options.profile_id;
    } else if (name == "--backend") {
      value_slot = &options.backend;
    } else if (name == "-C" || name == "--config-file") {
      value_slot = &options.config_file;
    } else if (name == "--newpass") {
      value_slot = &options.new_password;
    } else if (name == "-d" || name == "--debug") {
      flag_slot = &options.debug;
    } else if (name == "-i" || name == "--debug-interactively") {
      flag_slot = &options.log_to_stderr;
    } else if (name == "--check-config") {
      flag_slot = &options.check_config;
    } else if (name == "-h" || name == "--help") {
      flag_slot = &options.help;
    } else if (IsEventOption(name)) {
      std::string value;
      if (core::Status s = cursor.Value(&value); !s.ok()) return s;
      SetEventField(name.substr(2), std::move(value), &options);
      continue;
    } else if (!name.empty() && name[0] == '-') {
      return cursor.Bad("unknown option");
    } else {
      return core::InvalidArgument("unexpected argument '" + core::Printable(name) + "'");
    }
    if (value_slot != nullptr) {
      std::string value;
      if (core::Status s = cursor.Value(&value); !s.ok()) return s;
      *value_slot = std::move(value);
    } else {
      if (core::Status s = cursor.Flag(); !s.ok()) return s;
      *flag_slot = true;
    }
  }
  return options;
}

std::string UsageText(std::string_view program) {
  std::string p(program);
  return "usage: " + p +
         " --task TASK [--user USER] [--login LOGIN] [--authid AUTHID] [--sid PROFILE_ID]\n"
         "       " + std::string(p.size(), ' ') +
         " [--backend BACKEND] [-C CONFIG_FILE] [-d] [-i] [-- IGNORED...]\n"
         "       " + p + " --check-config [-C CONFIG_FILE]\n"
         "\n"
         "X2Go Session Broker for ssh:// broker URLs: answers one request of X2Go Client for the\n"
         "user who logged in over SSH ($LOGNAME) and prints the plain protocol's answer.\n"
         "\n"
         "  --task TASK              listsessions, selectsession, testcon, setpass, clientevent\n"
         "  --user USER              act for USER (only when run as the broker's daemon user)\n"
         "  --login LOGIN            login name on the X2Go Server (default: the broker user)\n"
         "  --authid, --auth-cookie, --next-authid AUTHID\n"
         "                           authentication cookie from the previous answer\n"
         "  --sid, --profile-id ID   session profile for selectsession\n"
         "  --backend BACKEND        session profile backend (default: the configured default)\n"
         "  -C, --config-file FILE   configuration file (default /etc/x2go/x2gobroker.conf)\n"
         "  -d, --debug              debug logging\n"
         "  -i                       log to stderr (always the case)\n"
         "  --check-config           check the configuration and the profiles, then exit\n"
         "  --newpass, --event, --server, --client, --cmd, --display, --start, --elapsed,\n"
         "  --version, --os VALUE    sent by X2Go Client with setpass and clientevent; accepted\n";
}

std::string DescribeClientEvent(const CliOptions& options, std::string_view user) {
  std::string event = "?";
  std::string details;
  for (const auto& [name, value] : options.event_fields) {
    if (name == "event") {
      event = core::Printable(value);
    } else {
      details += " " + name + "=" + core::Printable(value);
    }
  }
  std::string line = "client event " + event + " for " + core::Printable(user);
  if (options.profile_id) line += " (profile " + core::Printable(*options.profile_id) + ")";
  if (!details.empty()) line += ":" + details;
  return line;
}

}  // namespace x2gobroker::cli
