// SPDX-License-Identifier: AGPL-3.0-or-later
// Command line of `x2gobroker`, the SSH broker (PROTOCOL.md §8): the reference CLI's options and
// aliases (§8.2) plus the options X2Go Client adds for setpass and clientevent (§8.1), which the
// reference rejects (§13 row 29). Arguments after `--` are ignored. Input comes from whoever
// runs the program (through the setuid wrapper: any member of its group), so it is untrusted;
// values are checked later by the broker exactly like HTTP form fields. Pure and thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace x2gobroker::cli {

struct CliOptions {
  std::optional<std::string> task;         // --task
  std::optional<std::string> user;         // --user (honoured only for the daemon user)
  std::optional<std::string> login;        // --login
  std::optional<std::string> authid;       // --auth-cookie = --next-authid = --authid
  std::optional<std::string> profile_id;   // --profile-id = --sid
  std::optional<std::string> backend;      // --backend
  std::optional<std::string> config_file;  // -C / --config-file
  bool debug = false;                      // -d / --debug
  bool log_to_stderr = false;              // -i / --debug-interactively (logs always go to stderr)
  bool check_config = false;               // --check-config
  bool help = false;                       // -h / --help

  // setpass: --newpass. Never logged, never passed on (the broker changes no passwords).
  std::optional<std::string> new_password;
  // clientevent: --event, --server, --client, --cmd, --display, --start, --elapsed, --version,
  // --os as (name without dashes, value), in command-line order; a repeated one keeps its last value.
  std::vector<std::pair<std::string, std::string>> event_fields;
  std::vector<std::string> after_double_dash;  // collected and ignored
};

// Parses argv[1..]. Options take their value as the next argument or inline (`--task=x`).
// On failure returns InvalidArgument("<option>: <problem>") for an unknown option, a missing
// value, a value given to a flag or a stray positional argument.
core::Result<CliOptions> ParseCliOptions(const std::vector<std::string>& args);

// The usage text printed by --help and when no task is given (ends with "\n").
std::string UsageText(std::string_view program);

// clientevent's log line: "client event <event> for <user>: server=... client=... ..." with
// every value made printable (core::Printable). Holds none of the password.
std::string DescribeClientEvent(const CliOptions& options, std::string_view user);

}  // namespace x2gobroker::cli
