// SPDX-License-Identifier: AGPL-3.0-or-later
// The broker configuration as the admin tools see it: the same environment (X2GOBROKER_*,
// /etc/x2go/broker/defaults.conf [daemon]) and the same x2gobroker.conf the broker reads, so
// that a test run with a tool behaves like the broker.
#pragma once

#include <string>

#include "core/broker_config.h"
#include "core/status.h"

namespace x2gobroker::tools {

// config_file: the -C option, "" if not given (then X2GOBROKER_CONFIG or
// /etc/x2go/x2gobroker.conf). Warnings of the loader are logged. A file given with -C must
// load; without -C a missing default file yields the built-in defaults (logged), any other
// problem is returned as the loader's error (InvalidArgument "file:line: ..." or Unavailable).
core::Result<core::BrokerConfig> LoadToolConfig(const std::string& config_file);

}  // namespace x2gobroker::tools
