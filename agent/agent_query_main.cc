// SPDX-License-Identifier: AGPL-3.0-or-later
// x2gobroker-agent-query: runs X2Go Broker Agent tasks the way the broker does (SSH with the
// broker key, host-key policy and pooled connections, or LOCAL exec), for operators checking a
// farm member and for the integration tests. Reply lines go to stdout; one `result:` line per
// call and the pool counters go to stderr. Exit: 0 ok, 2 usage or invalid argument,
// 3 unavailable, 4 time-out, 1 anything else (first failing call decides).
#include <cstdio>
#include <iostream>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "agent/agent_call.h"
#include "agent/ssh_agent_client.h"
#include "core/log.h"
#include "core/option_cursor.h"

namespace {

using namespace x2gobroker;

struct QueryOptions {
  std::string mode = "ssh";
  core::AgentTarget target;
  agent::SshAgentClientOptions ssh;
  int repeat = 1;
  bool read_stdin = false;
  bool help = false;
  core::LogLevel log_level = core::LogLevel::kInfo;
  std::vector<std::string> call;  // USER TASK ARGS...
};

// Options that take a value, so the first positional word can be found before the cursor runs
// (positional words may look like options: they are never parsed as such).
const std::set<std::string> kValueOptions = {
    "--mode", "--address", "--port", "--hostname", "--policy", "--key-dir", "--known-hosts", "--system-known-hosts",
    "--login", "--agent-command", "--connect-timeout-ms", "--command-timeout-ms", "--idle-timeout-ms", "--repeat",
    "--log-level"};

int ExitCodeFor(const core::Status& status) { return agent::AgentCallExitCode(status); }

core::Status ParseOptions(const std::vector<std::string>& argv, QueryOptions* o) {
  size_t split = 0;
  while (split < argv.size()) {
    const std::string& a = argv[split];
    if (a == "--") break;
    if (a.size() < 2 || a[0] != '-') break;
    split += (kValueOptions.count(a) != 0) ? 2 : 1;
  }
  split = std::min(split, argv.size());
  std::vector<std::string> options(argv.begin(), argv.begin() + static_cast<long>(split));
  size_t first_positional = split < argv.size() && argv[split] == "--" ? split + 1 : split;
  o->call.assign(argv.begin() + static_cast<long>(first_positional), argv.end());

  o->target.host_key_policy = "RejectPolicy";
  core::OptionCursor cursor(options);
  while (cursor.Next()) {
    const std::string& name = cursor.name();
    std::string text;
    long number = 0;
    core::Status s;
    if (name == "--mode") {
      if (!(s = cursor.Value(&o->mode)).ok()) return s;
      if (o->mode != "ssh" && o->mode != "local") return cursor.Bad("expected ssh or local");
    } else if (name == "--address") {
      if (!(s = cursor.Value(&o->target.address)).ok()) return s;
    } else if (name == "--hostname") {
      if (!(s = cursor.Value(&o->target.hostname)).ok()) return s;
    } else if (name == "--port") {
      if (!(s = cursor.Integer(1, 65535, &number)).ok()) return s;
      o->target.port = static_cast<int>(number);
    } else if (name == "--policy") {
      if (!(s = cursor.Value(&o->target.host_key_policy)).ok()) return s;
    } else if (name == "--key-dir") {
      if (!(s = cursor.Value(&o->ssh.key_directory)).ok()) return s;
    } else if (name == "--known-hosts") {
      if (!(s = cursor.Value(&o->ssh.known_hosts_file)).ok()) return s;
    } else if (name == "--system-known-hosts") {
      if (!(s = cursor.Value(&o->ssh.system_known_hosts_file)).ok()) return s;
    } else if (name == "--login") {
      if (!(s = cursor.Value(&o->ssh.login_user)).ok()) return s;
    } else if (name == "--agent-command") {
      if (!(s = cursor.Value(&o->ssh.agent_command)).ok()) return s;
    } else if (name == "--connect-timeout-ms") {
      if (!(s = cursor.Integer(1, 600000, &number)).ok()) return s;
      o->ssh.connect_timeout_ms = static_cast<int>(number);
    } else if (name == "--command-timeout-ms") {
      if (!(s = cursor.Integer(1, 600000, &number)).ok()) return s;
      o->ssh.command_timeout_ms = static_cast<int>(number);
    } else if (name == "--idle-timeout-ms") {
      if (!(s = cursor.Integer(0, 3600000, &number)).ok()) return s;
      o->ssh.idle_timeout_ms = static_cast<int>(number);
    } else if (name == "--repeat") {
      if (!(s = cursor.Integer(1, 100000, &number)).ok()) return s;
      o->repeat = static_cast<int>(number);
    } else if (name == "--stdin") {
      if (!(s = cursor.Flag()).ok()) return s;
      o->read_stdin = true;
    } else if (name == "--log-level") {
      if (!(s = cursor.Value(&text)).ok()) return s;
      std::optional<core::LogLevel> level = core::ParseLogLevel(text);
      if (!level) return cursor.Bad("expected debug, info, warning or error");
      o->log_level = *level;
    } else if (name == "-h" || name == "--help") {
      if (!(s = cursor.Flag()).ok()) return s;
      o->help = true;
    } else {
      return core::InvalidArgument("unknown option: " + name);
    }
  }
  if (o->help) return core::Status::Ok();
  if (o->call.empty() && !o->read_stdin) return core::InvalidArgument("missing USER TASK");
  if (o->call.size() == 1) return core::InvalidArgument("missing TASK");
  if (o->mode == "ssh" && o->target.address.empty() && o->target.hostname.empty()) {
    return core::InvalidArgument("--address (or --hostname) is required in ssh mode");
  }
  return core::Status::Ok();
}

void Usage() {
  std::cout << "Usage: x2gobroker-agent-query [OPTION]... USER TASK [ARG]...\n"
               "Run one X2Go Broker Agent task as the broker does; print the reply lines.\n"
               "\n"
               "  --mode ssh|local             SSH to the server (default) or exec the local agent\n"
               "  --address A --port P         where the server's sshd listens (port default 22)\n"
               "  --hostname N                 the server's name (also looked up in known_hosts)\n"
               "  --policy P                   RejectPolicy (default), AutoAddPolicy or WarningPolicy\n"
               "  --key-dir D                  directory with id_ed25519/id_ecdsa/id_rsa\n"
               "  --known-hosts F              known_hosts to check and pin to\n"
               "  --system-known-hosts F       system known_hosts (default /etc/ssh/ssh_known_hosts)\n"
               "  --login L                    SSH login (default x2gobroker)\n"
               "  --agent-command PATH         default /usr/lib/x2go/x2gobroker-agent\n"
               "  --connect-timeout-ms N       connect + handshake + auth (default 5000)\n"
               "  --command-timeout-ms N       one task (default 20000)\n"
               "  --idle-timeout-ms N          pooled idle connections (default 60000)\n"
               "  --repeat N                   run the call N times (pooled connection reused)\n"
               "  --stdin                      then run each tab-separated `USER TASK ARGS` line of stdin\n"
               "  --log-level L                debug, info (default), warning, error\n"
               "\n"
               "Tasks: ping availabletasks listsessions getservers findbusyservers checkload\n"
               "       addauthkey KEYLINE AKFILE, delauthkey KEYLINE AKFILE,\n"
               "       suspendsession SID, terminatesession SID\n"
               "Exit: 0 ok, 2 usage or invalid argument, 3 unavailable, 4 time-out, 1 other.\n";
}

std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> words;
  size_t start = 0;
  for (;;) {
    size_t tab = line.find('\t', start);
    words.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
    if (tab == std::string::npos) break;
    start = tab + 1;
  }
  return words;
}

// Runs one call; prints its reply lines and a `result:` line. Returns the exit code.
int RunCall(const core::AgentClient& client, const core::AgentTarget& target, const std::vector<std::string>& call) {
  core::Status status;
  if (call.size() < 2) {
    status = core::InvalidArgument("expected USER TASK [ARGS...]");
  } else {
    std::vector<std::string> args(call.begin() + 2, call.end());
    auto reply = agent::RunNamedAgentTask(client, target, call[1], call[0], args);
    if (reply.ok()) {
      for (const std::string& line : reply->lines) std::cout << line << '\n';
      std::cout.flush();
    } else {
      status = reply.status();
    }
  }
  if (status.ok()) {
    std::cerr << "result: ok" << std::endl;
  } else {
    std::cerr << "result: error " << ExitCodeFor(status) << ": " << status.message() << std::endl;
  }
  return ExitCodeFor(status);
}

}  // namespace

int main(int argc, char** argv) {
  QueryOptions o;
  std::vector<std::string> args(argv + 1, argv + argc);
  if (core::Status s = ParseOptions(args, &o); !s.ok()) {
    std::cerr << "x2gobroker-agent-query: " << s.message() << "\n(--help for usage)\n";
    return 2;
  }
  if (o.help) {
    Usage();
    return 0;
  }
  core::SetLogLevel(o.log_level);
  auto made = agent::MakeToolAgentClient(o.mode == "local", o.ssh);
  if (!made.ok()) {
    std::cerr << "x2gobroker-agent-query: " << made.status().message() << '\n';
    return ExitCodeFor(made.status());
  }
  std::shared_ptr<agent::SshAgentClient> ssh = made->ssh;
  std::shared_ptr<const core::AgentClient> client = made->client;
  int exit_code = 0;
  auto record = [&](int code) {
    if (exit_code == 0) exit_code = code;
  };
  if (!o.call.empty()) {
    for (int i = 0; i < o.repeat; ++i) record(RunCall(*client, o.target, o.call));
  }
  if (o.read_stdin) {
    std::string line;
    while (std::getline(std::cin, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty()) continue;
      record(RunCall(*client, o.target, SplitTabs(line)));
    }
  }
  if (ssh) {
    auto st = ssh->stats();
    std::cerr << "connections established=" << st.established << " reused=" << st.reused << std::endl;
  }
  return exit_code;
}
