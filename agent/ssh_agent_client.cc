// SPDX-License-Identifier: AGPL-3.0-or-later
#include "agent/ssh_agent_client.h"

#include <unistd.h>

#include "agent/agent_log.h"
#include "core/agent_command.h"
#include "core/agent_output.h"
#include "core/log.h"

namespace x2gobroker::agent {
namespace {

// The key files tried, strongest first; DSA is gone from OpenSSH and is not offered.
constexpr const char* kKeyFiles[] = {"id_ed25519", "id_ecdsa", "id_rsa"};

std::string PoolKey(const core::AgentTarget& target, const std::string& address) {
  // The policy is part of the key: a connection accepted under WarningPolicy must never serve
  // a RejectPolicy call. The name is too, since host keys may be known by name.
  return target.host_key_policy + "|" + target.hostname + "|" + address + "|" + std::to_string(target.port);
}

}  // namespace

core::Result<std::shared_ptr<SshAgentClient>> SshAgentClient::Create(SshAgentClientOptions options) {
  if (options.connect_timeout_ms <= 0 || options.command_timeout_ms <= 0 || options.idle_timeout_ms < 0) {
    return core::InvalidArgument("agent time-outs must be positive");
  }
  if (options.login_user.empty()) return core::InvalidArgument("empty agent login user");
  if (!EnsureLibssh2Initialized()) return core::Unavailable("libssh2_init failed");
  SshSettings settings;
  settings.login_user = options.login_user;
  for (const char* name : kKeyFiles) {
    std::string path = options.key_directory + "/" + name;
    if (::access(path.c_str(), R_OK) == 0) settings.private_keys.push_back(path);
  }
  if (settings.private_keys.empty()) {
    return core::Unavailable("no readable private key (id_ed25519, id_ecdsa, id_rsa) in " + options.key_directory);
  }
  if (!options.system_known_hosts_file.empty()) settings.known_hosts_files.push_back(options.system_known_hosts_file);
  if (!options.known_hosts_file.empty()) settings.known_hosts_files.push_back(options.known_hosts_file);
  settings.pin_file = options.known_hosts_file;
  return std::shared_ptr<SshAgentClient>(new SshAgentClient(std::move(options), std::move(settings)));
}

SshAgentClient::SshAgentClient(SshAgentClientOptions options, SshSettings settings)
    : options_(std::move(options)),
      settings_(std::move(settings)),
      pool_(std::chrono::milliseconds(options_.idle_timeout_ms), options_.max_idle_per_host) {}

core::Result<core::AgentReply> SshAgentClient::Run(const core::AgentTarget& target, core::AgentTask task,
                                                   const std::string& user, const std::vector<std::string>& args) const {
  auto words = core::AgentArguments(task, user, args);
  if (!words.ok()) return words.status();
  const std::string command = core::RemoteAgentCommand(options_.agent_command, *words);
  core::AgentTarget where = target;
  if (where.address.empty()) where.address = where.hostname;  // no alias: connect to the name
  const std::string key = PoolKey(where, where.address);
  const std::string peer = where.address + ":" + std::to_string(where.port);

  for (int attempt = 0;; ++attempt) {
    // A retry always uses a new connection: the pool's others to this host are likely dead too.
    SshConnectionPtr connection = attempt == 0 ? pool_.Take(key) : nullptr;
    const bool reused = connection != nullptr;
    if (reused) {
      ++reused_;
    } else {
      auto opened = SshConnection::Open(where, settings_, Deadline::In(options_.connect_timeout_ms));
      if (!opened.ok()) return opened.status();
      connection = std::move(opened).value();
      ++established_;
    }
    bool channel_failed = false;
    auto output = connection->Exec(command, Deadline::In(options_.command_timeout_ms), &channel_failed);
    if (!output.ok()) {
      if (reused && channel_failed && attempt == 0) {
        core::LogInfo("agent: pooled connection to " + peer + " is dead (" + output.status().message() +
                      "); retrying on a new one");
        pool_.Drop(key);
        continue;
      }
      return output.status();
    }
    pool_.Give(key, std::move(connection));
    LogAgentStderr(task, peer, output->err);
    if (output->exit_status != 0) {
      core::LogDebug("agent " + std::string(core::AgentTaskName(task)) + " on " + peer + " exited " +
                     std::to_string(output->exit_status));
    }
    auto reply = core::ParseAgentOutput(output->out);
    if (!reply.ok()) {
      return core::Status(reply.status().code(), std::string("agent ") + core::AgentTaskName(task) + " on " + peer + ": " +
                                                     reply.status().message());
    }
    return reply;
  }
}

}  // namespace x2gobroker::agent
