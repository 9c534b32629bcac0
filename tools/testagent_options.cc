// SPDX-License-Identifier: AGPL-3.0-or-later
#include "tools/testagent_options.h"

#include <algorithm>

#include "agent/agent_call.h"
#include "core/agent_command.h"
#include "core/log.h"
#include "core/option_cursor.h"
#include "core/string_util.h"

namespace x2gobroker::tools {

core::Status SplitHostPort(const std::string& text, std::string* host, int* port) {
  std::string name = text;
  std::string port_text;
  if (!name.empty() && name[0] == '[') {
    size_t close = name.find(']');
    if (close == std::string::npos) return core::InvalidArgument("unbalanced [ in host: " + text);
    std::string rest = name.substr(close + 1);
    name = name.substr(1, close - 1);
    if (!rest.empty()) {
      if (rest[0] != ':') return core::InvalidArgument("expected :PORT after ] in host: " + text);
      port_text = rest.substr(1);
      if (port_text.empty()) return core::InvalidArgument("empty port in host: " + text);
    }
  } else if (std::count(name.begin(), name.end(), ':') == 1) {
    size_t colon = name.find(':');
    port_text = name.substr(colon + 1);
    name.resize(colon);
    if (port_text.empty()) return core::InvalidArgument("empty port in host: " + text);
  }
  if (name.empty()) return core::InvalidArgument("empty host name");
  long number = 0;
  if (!port_text.empty()) {
    if (!core::ParseLongInRange(port_text, 10, 1, 65535, &number)) {
      return core::InvalidArgument("bad port in host: " + text);
    }
    *port = static_cast<int>(number);
  }
  *host = name;
  return core::Status::Ok();
}

core::Status ParseTestagentOptions(const std::vector<std::string>& args, TestagentOptions* out) {
  TestagentOptions o;
  std::string host_text = "LOCAL";
  core::OptionCursor cursor(args);
  while (cursor.Next()) {
    const std::string& name = cursor.name();
    core::Status s;
    long number = 0;
    if (name == "--list-tasks") {
      if (!(s = cursor.Flag()).ok()) return s;
      o.list_tasks = true;
    } else if (name == "-u" || name == "--username" || name == "--user") {
      if (!(s = cursor.Value(&o.user)).ok()) return s;
    } else if (name == "-t" || name == "--task") {
      if (!(s = cursor.Value(&o.task)).ok()) return s;
    } else if (name == "-H" || name == "--host") {
      if (!(s = cursor.Value(&host_text)).ok()) return s;
    } else if (name == "-p" || name == "--port") {
      if (!(s = cursor.Integer(1, 65535, &number)).ok()) return s;
      o.port = static_cast<int>(number);
    } else if (name == "-A" || name == "--add-to-known-hosts") {
      if (!(s = cursor.Flag()).ok()) return s;
      o.add_to_known_hosts = true;
    } else if (name == "--session-id") {
      if (!(s = cursor.Value(&o.session_id)).ok()) return s;
    } else if (name == "--pubkey") {
      if (!(s = cursor.Value(&o.pubkey)).ok()) return s;
    } else if (name == "--authorized-keys") {
      if (!(s = cursor.Value(&o.authorized_keys)).ok()) return s;
    } else if (name == "-C" || name == "--config-file") {
      if (!(s = cursor.Value(&o.config_file)).ok()) return s;
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
  if (o.help || o.list_tasks) {
    *out = std::move(o);
    return core::Status::Ok();
  }
  if (core::ToUpper(host_text) == "LOCAL") {
    o.local = true;
    if (o.add_to_known_hosts) return core::InvalidArgument("-A needs an SSH host (-H HOST), not LOCAL");
  } else {
    o.local = false;
    int port = 0;
    if (core::Status s = SplitHostPort(host_text, &o.host, &port); !s.ok()) return s;
    if (port != 0) o.port = port;
  }
  std::optional<core::AgentTask> task = core::AgentTaskFromName(o.task);
  if (!task) return core::InvalidArgument("unknown task: " + core::Printable(o.task) + " (--list-tasks)");
  o.agent_task = *task;
  if (o.user.empty() && agent::AgentTaskNeedsUser(*task)) {
    return core::InvalidArgument("task " + o.task + " needs a user (-u USER)");
  }
  if ((*task == core::AgentTask::kSuspendSession || *task == core::AgentTask::kTerminateSession) &&
      o.session_id.empty()) {
    return core::InvalidArgument("task " + o.task + " needs --session-id");
  }
  if ((*task == core::AgentTask::kAddAuthKey || *task == core::AgentTask::kDelAuthKey) && o.pubkey.empty()) {
    return core::InvalidArgument("task " + o.task + " needs --pubkey 'KEY LINE'");
  }
  *out = std::move(o);
  return core::Status::Ok();
}

std::vector<std::string> TestagentTaskArguments(const TestagentOptions& options) {
  switch (options.agent_task) {
    case core::AgentTask::kSuspendSession:
    case core::AgentTask::kTerminateSession:
      return {options.session_id};
    case core::AgentTask::kAddAuthKey:
    case core::AgentTask::kDelAuthKey:
      return {options.pubkey, options.authorized_keys};
    default:
      return {};
  }
}

std::string TestagentUsage() {
  return "Usage: x2gobroker-testagent [-H LOCAL|HOST[:PORT]] [-t TASK] [-u USER] [OPTION]...\n"
         "Run one X2Go Broker Agent task the way the broker does and print the reply lines.\n"
         "\n"
         "      --list-tasks           print the task names and exit\n"
         "  -u, --username, --user U   the user the task is about (not needed for ping, checkload,\n"
         "                             availabletasks)\n"
         "  -t, --task TASK            default ping\n"
         "  -H, --host H               LOCAL (default: run the agent on this host) or an X2Go Server\n"
         "                             by name or address, optionally with :PORT ([v6]:PORT)\n"
         "  -p, --port N               its SSH port (default 22)\n"
         "  -A, --add-to-known-hosts   accept an unknown host key and pin it into the configured\n"
         "                             known_hosts (AutoAddPolicy); prints its SHA256 fingerprint:\n"
         "                             compare it with `ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub`\n"
         "                             on the server. Without -A an unknown host key is refused\n"
         "      --session-id SID       for suspendsession and terminatesession\n"
         "      --pubkey 'KEY LINE'    for addauthkey and delauthkey\n"
         "      --authorized-keys P    their file on the server (default %h/.x2go/authorized_keys)\n"
         "  -C, --config-file FILE     x2gobroker.conf (agent-ssh-directory, agent-known-hosts,\n"
         "                             agent-*-timeout); default /etc/x2go/x2gobroker.conf\n"
         "  -d, --debug                log the connection steps to stderr\n"
         "  -h, --help                 this text\n"
         "\n"
         "Started as root it runs as the broker's user (X2GOBROKER_DAEMON_USER, default\n"
         "x2gobroker), with that user's key and known_hosts, as the broker would.\n"
         "Exit: 0 ok, 2 invalid argument, 3 unavailable (unreachable, host key unknown or\n"
         "changed, login refused, agent missing), 4 time-out, 1 other.\n";
}

}  // namespace x2gobroker::tools
