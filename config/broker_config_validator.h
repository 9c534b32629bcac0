// SPDX-License-Identifier: AGPL-3.0-or-later
// Checks a freshly loaded BrokerConfig for values that parse but cannot work, once per load.
// Problems the broker can live with become warnings (and a safe value); the others are errors
// that stop start-up (PROTOCOL.md §13, "Our policy for broken configuration").
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/broker_config.h"
#include "core/status.h"

namespace x2gobroker::config {

// Where each value written in the file came from: (section, key) → "file:line". Values that
// came from [DEFAULT] point at the [DEFAULT] line.
using KeyLocations = std::map<std::pair<std::string, std::string>, std::string>;

// Validates *config (and repairs what has a safe fallback). Warnings are appended to *warnings.
// On failure returns InvalidArgument("file:line: problem (key 'x')").
core::Status ValidateBrokerConfig(const KeyLocations& locations, core::BrokerConfig* config,
                                  std::vector<std::string>* warnings);

}  // namespace x2gobroker::config
