// SPDX-License-Identifier: AGPL-3.0-or-later
#include "backends/ini/ini_backend.h"

#include "backends/ini/ini_profile_reader.h"
#include "backends/profile_file_backend.h"
#include "core/broker_config.h"

namespace x2gobroker::backends::ini {

core::Result<core::SessionBackendPtr> IniBackendFactory::Create(const core::BrokerConfig& config,
                                                                const core::SessionBackend* previous) const {
  const core::BackendSection* section = config.Backend("inifile");
  if (section == nullptr) return core::InvalidArgument(config.source + ": no [broker_inifile] settings");
  return core::SessionBackendPtr(
      ProfileFileBackend::Load("inifile", section->session_profiles, &ReadIniProfiles, previous));
}

}  // namespace x2gobroker::backends::ini
