// SPDX-License-Identifier: AGPL-3.0-or-later
// The one list of compiled-in profile backends.
#pragma once

#include "core/session_backend.h"

namespace x2gobroker::backends {

// Registers `inifile`, `yaml` and `zeroconf`. Aborts start-up (returns an error) on duplicates.
core::Status RegisterBuiltinBackends(core::SessionBackendRegistry& registry);

}  // namespace x2gobroker::backends
