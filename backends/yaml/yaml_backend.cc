// SPDX-License-Identifier: AGPL-3.0-or-later
#include "backends/yaml/yaml_backend.h"

#include "backends/profile_file_backend.h"
#include "backends/yaml/yaml_profile_reader.h"
#include "core/broker_config.h"

namespace x2gobroker::backends::yaml {

core::Result<core::SessionBackendPtr> YamlBackendFactory::Create(const core::BrokerConfig& config,
                                                                 const core::SessionBackend* previous) const {
  const core::BackendSection* section = config.Backend("yaml");
  if (section == nullptr) return core::InvalidArgument(config.source + ": no [broker_yaml] settings");
  return core::SessionBackendPtr(
      ProfileFileBackend::Load("yaml", section->session_profiles, &ReadYamlProfiles, previous));
}

}  // namespace x2gobroker::backends::yaml
