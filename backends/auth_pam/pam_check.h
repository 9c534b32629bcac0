// SPDX-License-Identifier: AGPL-3.0-or-later
// CheckPamPassword: one PAM transaction (pam_start, pam_authenticate, pam_acct_mgmt, pam_end)
// for a user name and password. The only code that calls libpam; used by
// x2gobroker-authservice (as root) and by PamAuthenticator's in-process fallback.
//
// The conversation answers every PAM_PROMPT_ECHO_OFF prompt with the password (as the
// reference does, so that stacks whose modules each prompt still work), ignores info and error
// messages and refuses echo-on prompts. PAM's own failure delay is intercepted (PAM_FAIL_DELAY):
// the thread does not sleep; the requested delay is returned and the caller applies it.
// Thread-safe as far as the configured PAM modules are (each call has its own handle).
#pragma once

#include <chrono>
#include <string>

#include "core/secret_string.h"

namespace x2gobroker::backends::auth_pam {

enum class PamVerdict {
  kSuccess,      // authenticated and the account is usable
  kFailure,      // anything a user can cause: wrong password, unknown user, expired account
  kUnavailable,  // PAM could not run: pam_start failed, PAM_ABORT, PAM_BUF_ERR
};

struct PamCheckResult {
  PamVerdict verdict = PamVerdict::kFailure;
  int pam_code = 0;          // the PAM return code that decided (for logs)
  std::string pam_message;   // pam_strerror of it, "" on success
  std::chrono::microseconds requested_fail_delay{0};  // what PAM asked to sleep (0: nothing)
};

// `rhost` (may be empty) becomes PAM_RHOST. A password holding a NUL byte cannot be passed to
// PAM (C strings) and fails without asking it. REQUIRES: service and user without NUL.
PamCheckResult CheckPamPassword(const std::string& service, const std::string& user,
                                const core::SecretString& password, const std::string& rhost);

}  // namespace x2gobroker::backends::auth_pam
