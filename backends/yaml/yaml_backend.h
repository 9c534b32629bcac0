// SPDX-License-Identifier: AGPL-3.0-or-later
// The `yaml` backend (our extension, PROTOCOL.md §3.7): session profiles from the YAML file
// named by [broker_yaml] session-profiles. Same model, answers and failure policy as `inifile`.
#pragma once

#include "core/session_backend.h"

namespace x2gobroker::backends::yaml {

class YamlBackendFactory final : public core::SessionBackendFactory {
 public:
  // core::SessionBackendFactory. A file that cannot be parsed is not an error here: the
  // backend then answers 503 (or keeps `previous`'s profiles), see ProfileFileBackend.
  core::Result<core::SessionBackendPtr> Create(const core::BrokerConfig& config,
                                               const core::SessionBackend* previous) const override;
};

}  // namespace x2gobroker::backends::yaml
