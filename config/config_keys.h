// SPDX-License-Identifier: AGPL-3.0-or-later
// The schema of x2gobroker.conf: which sections and keys exist, their types (by the type of the
// reference's built-in default, PROTOCOL.md §2.2-§2.4) and where each value is stored in
// core::BrokerConfig. Read-only tables; thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "config/config_value.h"
#include "core/broker_config.h"
#include "core/status.h"

namespace x2gobroker::config {

// Backends that have a [broker_<name>] section, with or without an implementation.
const std::vector<std::string>& KnownBackendNames();

// Every section the loader understands, in a fixed order: global, broker_<backend>...,
// authmech_https_get, authmech_pam (the latter has no keys).
const std::vector<std::string>& KnownSections();
bool IsKnownSection(std::string_view section);

// The keys `section` knows, in table order (empty for an unknown section).
std::vector<std::string> KnownKeys(std::string_view section);

// True if `key` means something in `section`.
bool IsKnownKey(std::string_view section, std::string_view key);
// True if `key` means something in at least one known section ([DEFAULT] keys).
bool IsKnownKeyInAnySection(std::string_view key);

// The backend sections filled with the reference's built-in defaults (§2.4) plus our
// [broker_yaml]; other keys of [broker_ldap] are kept in `extra`.
std::map<std::string, core::BackendSection> DefaultBackendSections();

// Types `value` and stores it in *config.
// REQUIRES: IsKnownKey(section, value.entry.key).
// On a bad value returns InvalidArgument("file:line: problem (key 'x')") and leaves *config
// unchanged.
core::Status ApplyConfigKey(std::string_view section, const ConfigValue& value, core::BrokerConfig* config);

}  // namespace x2gobroker::config
