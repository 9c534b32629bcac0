// SPDX-License-Identifier: AGPL-3.0-or-later
#include "tools/tool_config.h"

#include <sys/stat.h>

#include <vector>

#include "config/broker_config_loader.h"
#include "core/log.h"

namespace x2gobroker::tools {

core::Result<core::BrokerConfig> LoadToolConfig(const std::string& config_file) {
  core::BrokerEnvironment env = config::EnvironmentFromProcess("daemon");
  if (!config_file.empty()) env.config_file = config_file;
  struct stat st{};
  if (config_file.empty() && ::stat(env.config_file.c_str(), &st) != 0) {
    core::LogInfo(env.config_file + " not found: using the built-in defaults");
    core::BrokerConfig defaults;
    defaults.source = "(built-in defaults)";
    defaults.env = env;
    return defaults;
  }
  std::vector<std::string> warnings;
  core::Result<core::BrokerConfig> config = config::LoadBrokerConfig(env, &warnings);
  for (const std::string& warning : warnings) core::LogWarning(warning);
  return config;
}

}  // namespace x2gobroker::tools
