// SPDX-License-Identifier: AGPL-3.0-or-later
#include "agent/agent_services_factory.h"

#include "agent/file_key_deletion_queue.h"
#include "agent/local_agent_client.h"
#include "agent/metered_agent_client.h"
#include "agent/rsa_key_generator.h"
#include "agent/ssh_agent_client_config.h"
#include "core/load_checker_client.h"
#include "core/log.h"
#include "core/string_util.h"

namespace x2gobroker::agent {
namespace {

// Whether any backend or the global default asks for `mode` (profiles may still ask on their
// own, so a missing piece is only a warning where the configuration itself needs it).
bool ConfiguredMode(const core::BrokerConfig& config, const std::string& mode) {
  if (core::ToUpper(config.default_agent_query_mode) == mode) return true;
  for (const auto& [name, section] : config.backends) {
    if (section.enable && core::ToUpper(section.agent_query_mode) == mode) return true;
  }
  return false;
}

void Report(bool needed, const std::string& text) {
  if (needed) core::LogWarning(text);
  else core::LogDebug(text);
}

}  // namespace

core::Result<core::AgentServices> MakeAgentServices(const core::BrokerConfig& config) {
  core::AgentServices services;
  const bool ssh_needed = ConfiguredMode(config, "SSH");
  const bool local_needed = ConfiguredMode(config, "LOCAL");

  core::Result<std::shared_ptr<SshAgentClient>> ssh = SshAgentClientFor(config);
  if (ssh.ok()) {
    services.ssh = std::make_shared<MeteredAgentClient>(*ssh, *ssh);
  } else {
    Report(ssh_needed, "agent query mode SSH is not available (" + ssh.status().message() +
                           "): profiles in SSH mode are served as in mode NONE");
  }
  LocalAgentClientOptions local_options;
  local_options.agent_command = config.env.agent_cmd;
  local_options.command_timeout_ms = static_cast<int>(config.agent_command_timeout * 1000);
  core::Result<std::shared_ptr<LocalAgentClient>> local = LocalAgentClient::Create(local_options);
  if (local.ok()) {
    services.local = std::make_shared<MeteredAgentClient>(*local, nullptr);
  } else {
    Report(local_needed, "agent query mode LOCAL is not available (" + local.status().message() +
                             "): profiles in LOCAL mode are served as in mode NONE");
  }
  services.load_checker = std::make_shared<core::SocketLoadChecker>(config.env.loadchecker_socket);
  services.key_generator = std::make_shared<RsaKeyGenerator>();
  core::Result<std::shared_ptr<FileKeyDeletionQueue>> queue = FileKeyDeletionQueue::Open(config.key_deletion_directory);
  if (queue.ok()) {
    services.key_deletions = *queue;
  } else {
    Report(config.default_session_autologin && (ssh_needed || local_needed),
           "session autologin is not available: key-deletion-directory: " + queue.status().message());
  }
  return services;
}

}  // namespace x2gobroker::agent
