// SPDX-License-Identifier: AGPL-3.0-or-later
// Loads x2gobroker.conf (PROTOCOL.md §2) into a typed, validated core::BrokerConfig.
#pragma once

#include <string>
#include <vector>

#include "core/broker_config.h"
#include "core/status.h"

namespace x2gobroker::config {

// Environment overrides (§2.1): process environment first, then /etc/x2go/broker/defaults.conf
// section `[program_section]`, then `[common]`. `defaults_conf` is the file to read; a missing
// one is normal, an unparsable one is logged and ignored. Empty values count as unset.
core::BrokerEnvironment EnvironmentFromProcess(const std::string& program_section,
                                               const std::string& defaults_conf = "/etc/x2go/broker/defaults.conf");

// Reads env.config_file. Warnings (unknown keys, ignored scripts, ...) are appended to *warnings
// as "file:line: text", on failure too (those found before the error, for --check-config).
// On failure returns InvalidArgument("file:line: problem (key 'x')")
// or Unavailable when the file cannot be read. A missing file is an error too (unlike the
// reference, which silently runs on built-in defaults).
core::Result<core::BrokerConfig> LoadBrokerConfig(const core::BrokerEnvironment& env,
                                                  std::vector<std::string>* warnings);

}  // namespace x2gobroker::config
