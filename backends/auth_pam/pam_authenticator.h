// SPDX-License-Identifier: AGPL-3.0-or-later
// PamAuthenticator, the `pam` mechanism (PROTOCOL.md §4.4): asks x2gobroker-authservice over
// its UNIX socket (core/auth/pam_protocol.h), one connection per login. The workers run
// unprivileged; only the service, as root, can let pam_unix read /etc/shadow.
//
// * Refused without asking (OK(false)): an empty user or password (the reference requires
//   both), a user name with a control character (NUL, CR, LF, ...) or longer than 256 bytes,
//   a password longer than 1024 bytes or holding a NUL byte.
// * Service answers ok → OK(true); fail → OK(false); unavailable → Unavailable.
// * The socket does not exist or nobody listens (ENOENT, ECONNREFUSED): PAM in this process,
//   service `x2gobroker`, as the reference does; logged once per process. Success → true,
//   failure → false (after the same minimum failure time the service applies), PAM unable to
//   start → Unavailable.
// * Anything else (permission denied on the socket, the connection closed without an answer,
//   a malformed answer, no answer within the time-out) → Unavailable: the service is there
//   but not usable, which an admin must see (503), not a silent fallback.
// Thread-safe; no state besides the once-per-process fallback notice.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "backends/auth_pam/pam_check.h"
#include "core/authenticator.h"
#include "core/secret_string.h"

namespace x2gobroker::backends::auth_pam {

// The PAM service of the broker (/etc/pam.d/x2gobroker).
inline constexpr char kPamService[] = "x2gobroker";
// The service may hold a failed attempt for its throttle cap (10 s) plus its failure delay
// (2 s) plus PAM's own time (LDAP or Kerberos over the network: seconds).
inline constexpr std::chrono::milliseconds kDefaultAnswerTimeout{20000};
// pam_unix's own failure delay, which the in-process fallback keeps (libpam would sleep it).
inline constexpr std::chrono::milliseconds kFallbackMinFailureTime{2000};

// In-process PAM (the fallback). Replaceable for tests.
using InProcessPam = std::function<PamCheckResult(const std::string& user, const core::SecretString& password,
                                                  const std::string& rhost)>;

struct PamAuthenticatorOptions {
  std::string socket_path;  // env.authservice_socket
  std::chrono::milliseconds answer_timeout = kDefaultAnswerTimeout;
  std::chrono::milliseconds fallback_min_failure_time = kFallbackMinFailureTime;
  InProcessPam in_process;  // empty: CheckPamPassword with kPamService
};

class PamAuthenticator final : public core::Authenticator {
 public:
  explicit PamAuthenticator(PamAuthenticatorOptions options);

  // core::Authenticator
  core::Result<bool> Authenticate(const std::string& user, const std::string& password,
                                  const std::string& client_address) const override;

 private:
  core::Result<bool> InProcess(const std::string& user, const std::string& password,
                               const std::string& client_address, const std::string& why) const;

  PamAuthenticatorOptions options_;
};

// `pam`: a PamAuthenticator on config.env.authservice_socket. InvalidArgument if the path
// cannot be a UNIX socket address (empty, NUL, longer than sun_path).
class PamAuthenticatorFactory final : public core::AuthenticatorFactory {
 public:
  // core::AuthenticatorFactory
  core::Result<core::AuthenticatorPtr> Create(const core::BrokerConfig& config) const override;
};

}  // namespace x2gobroker::backends::auth_pam
