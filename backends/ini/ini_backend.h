// SPDX-License-Identifier: AGPL-3.0-or-later
// The `inifile` backend: session profiles from the INI file named by
// [broker_inifile] session-profiles (or X2GOBROKER_SESSIONPROFILES, applied by the loader).
#pragma once

#include "core/session_backend.h"

namespace x2gobroker::backends::ini {

class IniBackendFactory final : public core::SessionBackendFactory {
 public:
  // core::SessionBackendFactory. A profile file that cannot be parsed is not an error here:
  // the backend then answers 503 (or keeps `previous`'s profiles), see ProfileFileBackend.
  core::Result<core::SessionBackendPtr> Create(const core::BrokerConfig& config,
                                               const core::SessionBackend* previous) const override;
};

}  // namespace x2gobroker::backends::ini
