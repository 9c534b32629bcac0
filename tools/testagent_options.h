// SPDX-License-Identifier: AGPL-3.0-or-later
// Command line of x2gobroker-testagent (PROTOCOL.md §12.3). Pure, thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/agent_client.h"
#include "core/status.h"

namespace x2gobroker::tools {

struct TestagentOptions {
  bool list_tasks = false;
  std::string user;           // "" = none given
  std::string task = "ping";
  core::AgentTask agent_task = core::AgentTask::kPing;
  bool local = true;          // -H LOCAL (default)
  std::string host;           // SSH: host name or address (IPv6 in brackets on the command line)
  int port = 22;
  bool add_to_known_hosts = false;
  std::string session_id;
  std::string pubkey;         // key line for addauthkey/delauthkey
  std::string authorized_keys = "%h/.x2go/authorized_keys";
  std::string config_file;    // "" = the broker's default
  bool debug = false;
  bool help = false;
};

// --list-tasks, -u/--username/--user NAME, -t/--task TASK (default ping), -H/--host
// LOCAL|host[:port]|[v6addr][:port] (a port given here wins over -p), -p/--port N (22),
// -A/--add-to-known-hosts, --session-id SID, --pubkey LINE, --authorized-keys PATH,
// -C/--config-file FILE, -d/--debug, -h/--help.
// After the options: an unknown task, a missing user for a task that needs one (all but ping,
// checkload, availabletasks), --session-id missing for suspend/terminatesession, --pubkey
// missing for addauthkey/delauthkey, -A with LOCAL are InvalidArgument. *out only on OK.
core::Status ParseTestagentOptions(const std::vector<std::string>& args, TestagentOptions* out);

// Splits `host[:port]` or `[v6]:port` / `[v6]` / a bare IPv6 address (two or more colons, no
// port). InvalidArgument for an empty host or a bad port; *port is left alone without one.
core::Status SplitHostPort(const std::string& text, std::string* host, int* port);

// The agent arguments the options give for their task (session id, or key line and path).
std::vector<std::string> TestagentTaskArguments(const TestagentOptions& options);

std::string TestagentUsage();

}  // namespace x2gobroker::tools
