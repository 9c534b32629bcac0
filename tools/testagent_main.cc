// SPDX-License-Identifier: AGPL-3.0-or-later
// x2gobroker-testagent: runs one X2Go Broker Agent task as the broker does (PROTOCOL.md §9,
// §12.3), with the broker's configuration, key and known_hosts. See TestagentUsage().
#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "agent/agent_call.h"
#include "agent/known_hosts.h"
#include "agent/ssh_agent_client_config.h"
#include "core/agent_command.h"
#include "core/log.h"
#include "tools/system_account.h"
#include "tools/testagent_options.h"
#include "tools/tool_config.h"

namespace {

using namespace x2gobroker;

constexpr const char* kTool = "x2gobroker-testagent";

int Fail(const core::Status& status) {
  std::cerr << kTool << ": " << status.message() << '\n';
  int code = agent::AgentCallExitCode(status);
  return code == 0 ? 1 : code;
}

// Prints the fingerprints of the host keys known for `names` after an -A call, telling which
// ones the call has just pinned.
void PrintHostKeys(const std::vector<std::string>& files, const std::vector<std::string>& names,
                   const std::vector<std::string>& before, const std::string& pin_file) {
  const std::vector<std::string> after = agent::KnownHostKeys(files, names);
  if (after.empty()) {
    std::cout << "No host key of " << names[0] << " is known (the server was not reached).\n";
    return;
  }
  for (const std::string& blob : after) {
    const bool pinned_now = std::find(before.begin(), before.end(), blob) == before.end();
    std::cout << "Host key of " << names[0] << ": " << agent::KeyBlobType(blob) << ' '
              << agent::HostKeyFingerprint(blob)
              << (pinned_now ? " (new: pinned in " + pin_file + ")" : " (already known)") << '\n';
  }
}

}  // namespace

int main(int argc, char** argv) {
  tools::TestagentOptions o;
  if (core::Status s = tools::ParseTestagentOptions(std::vector<std::string>(argv + 1, argv + argc), &o); !s.ok()) {
    std::cerr << kTool << ": " << s.message() << " (--help for usage)\n";
    return 2;
  }
  if (o.help) {
    std::cout << tools::TestagentUsage();
    return 0;
  }
  if (o.list_tasks) {
    for (core::AgentTask task : agent::AllAgentTasks()) std::cout << core::AgentTaskName(task) << '\n';
    return 0;
  }
  core::SetLogLevel(o.debug ? core::LogLevel::kDebug : core::LogLevel::kError);

  auto config = tools::LoadToolConfig(o.config_file);
  if (!config.ok()) return Fail(config.status());
  if (::geteuid() == 0) {
    // As the broker: its key, its known_hosts, its group for the setuid LOCAL agent.
    auto account = tools::LookupAccount(config->env.daemon_user);
    if (!account.ok()) return Fail(account.status());
    if (core::Status s = tools::DropPrivilegesTo(*account); !s.ok()) return Fail(s);
  }
  const agent::SshAgentClientOptions ssh_options = agent::SshAgentClientOptionsFor(*config);
  auto client = agent::MakeToolAgentClient(o.local, ssh_options);
  if (!client.ok()) return Fail(client.status());

  core::AgentTarget target;
  target.hostname = o.local ? "LOCAL" : o.host;
  target.address = o.local ? "" : o.host;
  target.port = o.port;
  target.host_key_policy = o.add_to_known_hosts ? "AutoAddPolicy" : "RejectPolicy";

  const std::vector<std::string> known_hosts_files = {ssh_options.system_known_hosts_file,
                                                      ssh_options.known_hosts_file};
  const std::vector<std::string> names = {agent::KnownHostsName(o.host, o.port)};
  std::vector<std::string> before;
  if (o.add_to_known_hosts) before = agent::KnownHostKeys(known_hosts_files, names);

  const std::string user = o.user.empty() ? core::kAgentPlaceholderUser : o.user;
  auto reply = client->client->Run(target, o.agent_task, user, tools::TestagentTaskArguments(o));
  if (o.add_to_known_hosts) PrintHostKeys(known_hosts_files, names, before, ssh_options.known_hosts_file);
  if (!reply.ok()) {
    core::Status status = reply.status();
    if (status.message().find("unknown host key") != std::string::npos) {
      status = core::Status(status.code(), status.message() + " (not in " + ssh_options.known_hosts_file +
                                               "; check its fingerprint and pin it with -A)");
    }
    return Fail(status);
  }
  for (const std::string& line : reply->lines) std::cout << line << '\n';
  return 0;
}
