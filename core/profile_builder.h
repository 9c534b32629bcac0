// SPDX-License-Identifier: AGPL-3.0-or-later
// BuildProfiles turns a RawProfileSet (from INI or YAML) into typed SessionProfiles following
// PROTOCOL.md §3: typing by the built-in defaults (§3.2), `not-set`, list clean-up, host aliases
// (§3.5), ACL and broker-* keys (§3.4, §4.5), rendering order and desktop commands (§3.6 steps
// 1, 2, 5). A profile with an invalid value is left out with an error diagnostic naming
// file:line; the others are served (PROTOCOL.md §13 policy). Pure function, thread-safe.
#pragma once

#include <vector>

#include "core/diagnostic.h"
#include "core/raw_profiles.h"
#include "core/session_profile.h"

namespace x2gobroker::core {

struct ProfileBuildResult {
  ProfileSet profiles;                   // valid profiles, sorted by id
  std::vector<Diagnostic> diagnostics;   // errors (profile dropped) and warnings
};

ProfileBuildResult BuildProfiles(const RawProfileSet& raw);

// True for list-typed profile keys with a list default (`host`, `applications`).
bool IsProfileListKey(const std::string& key);

}  // namespace x2gobroker::core
