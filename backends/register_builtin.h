// SPDX-License-Identifier: AGPL-3.0-or-later
// The one list of compiled-in profile backends and authentication mechanisms.
#pragma once

#include "core/authenticator.h"
#include "core/session_backend.h"

namespace x2gobroker::backends {

// Registers `inifile`, `yaml` and `zeroconf`. Aborts start-up (returns an error) on duplicates.
core::Status RegisterBuiltinBackends(core::SessionBackendRegistry& registry);

// Registers the authentication mechanisms of PROTOCOL.md §4.4: `none`, `pam` (and `https_get`).
// Returns an error on duplicates.
core::Status RegisterBuiltinAuthenticators(core::AuthenticatorRegistry& registry);

}  // namespace x2gobroker::backends
