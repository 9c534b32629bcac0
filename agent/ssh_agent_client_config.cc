// SPDX-License-Identifier: AGPL-3.0-or-later
#include "agent/ssh_agent_client_config.h"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <vector>

namespace x2gobroker::agent {
namespace {

// The broker account's home as the password database has it: a service started with a
// stripped environment has no HOME, and HOME may lie for a process started through sudo.
std::string HomeDirectory() {
  long size = ::sysconf(_SC_GETPW_R_SIZE_MAX);
  std::vector<char> buffer(static_cast<size_t>(size > 0 ? size : 16384));
  passwd entry{};
  passwd* found = nullptr;
  if (::getpwuid_r(::geteuid(), &entry, buffer.data(), buffer.size(), &found) == 0 && found != nullptr &&
      found->pw_dir != nullptr && found->pw_dir[0] != '\0') {
    return found->pw_dir;
  }
  const char* home = std::getenv("HOME");
  return home != nullptr ? home : "";
}

int Milliseconds(int64_t seconds) {
  return static_cast<int>(std::clamp<int64_t>(seconds, 0, INT_MAX / 1000) * 1000);
}

}  // namespace

SshAgentClientOptions SshAgentClientOptionsFor(const core::BrokerConfig& config) {
  SshAgentClientOptions options;
  options.agent_command = config.env.agent_cmd;
  options.login_user = config.env.agent_user;
  options.key_directory = config.agent_ssh_directory.empty() ? HomeDirectory() + "/.ssh" : config.agent_ssh_directory;
  options.known_hosts_file =
      config.agent_known_hosts.empty() ? options.key_directory + "/known_hosts" : config.agent_known_hosts;
  options.connect_timeout_ms = Milliseconds(config.agent_connect_timeout);
  options.command_timeout_ms = Milliseconds(config.agent_command_timeout);
  options.idle_timeout_ms = Milliseconds(config.agent_idle_timeout);
  return options;
}

core::Result<std::shared_ptr<SshAgentClient>> SshAgentClientFor(const core::BrokerConfig& config) {
  return SshAgentClient::Create(SshAgentClientOptionsFor(config));
}

}  // namespace x2gobroker::agent
