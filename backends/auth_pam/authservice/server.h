// SPDX-License-Identifier: AGPL-3.0-or-later
// AuthServer: the event loop of x2gobroker-authservice (OpenSSH's monitor, shared/STYLE.md).
//
// One thread polls the listen socket, the connections that are still sending their request,
// and the timers; a pool of --max-concurrent threads runs the PAM transactions. Per connection:
//   accept → SO_PEERCRED uid allowed? (no: close, log) → read one REQ_AUTHENTICATE within the
//   read time-out (malformed, too slow, or anything after it: close without a reply, log)
//   → throttle (wait for a slot, or answer "unavailable" at once) → PAM in a worker
//   → answer: ok at once; fail no earlier than --fail-delay (or PAM's own delay) after the
//   request arrived, so that an unknown user and a wrong password look the same → close.
// The password lives in SecretStrings only and is never logged; each attempt is logged with
// user, client address, peer pid and result. Delays never hold a PAM thread.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <memory>
#include <set>
#include <string>

#include "backends/auth_pam/authservice/listen_socket.h"
#include "backends/auth_pam/pam_check.h"
#include "core/auth/failure_throttle.h"
#include "core/secret_string.h"

namespace x2gobroker::backends::auth_pam {

using PamCheckFunction = std::function<PamCheckResult(const std::string& user, const core::SecretString& password,
                                                      const std::string& rhost)>;

struct AuthServerConfig {
  std::set<uid_t> allowed_uids;
  int max_concurrent = 16;
  size_t max_connections = 256;
  std::chrono::milliseconds read_timeout{5000};
  std::chrono::milliseconds fail_delay{2000};
  core::auth::FailureThrottle::Policy throttle;
  PamCheckFunction check;  // PAM with the configured service
};

class AuthServer {
 public:
  AuthServer(AuthServerConfig config, int listen_fd);
  ~AuthServer();
  AuthServer(const AuthServer&) = delete;
  AuthServer& operator=(const AuthServer&) = delete;

  // Serves until `stop_fd` becomes readable (a signalfd for SIGTERM/SIGINT, or a pipe in
  // tests), then closes every connection without an answer and waits for running PAM calls.
  // Returns an error only if the event loop itself fails.
  core::Status Run(int stop_fd);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace x2gobroker::backends::auth_pam
