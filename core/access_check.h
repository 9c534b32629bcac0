// SPDX-License-Identifier: AGPL-3.0-or-later
// AccessChecker implements the reference's check_access (PROTOCOL.md §4.1): require-password,
// require-cookie with the pre-shared static cookie, single-use dynamic AUTHIDs, use-static-cookie,
// auth-timeout, verify-ip and the legacy check-credentials. Deliberate improvements (§13): the
// static cookie together with require-password works (no 500); a missing/spent/expired/foreign-IP
// AUTHID with a password present falls back to the password when no static cookie is required.
// Thread-safe if its Authenticator and CookieStore are.
#pragma once

#include <optional>
#include <string>

#include "core/authenticator.h"
#include "core/broker_config.h"
#include "core/cookie_store.h"
#include "core/status.h"

namespace x2gobroker::core {

struct AccessRequest {
  std::string user;
  std::string password;
  std::string authid;
  std::string client_address;
  // The caller already authenticated `user` (SSH mode, HttpRequest::preauthenticated): the
  // password step succeeds without the auth mechanism. Cookie checks are unchanged.
  bool preauthenticated = false;
};

struct AccessDecision {
  bool granted = false;
  std::optional<std::string> next_cookie;  // sent as AUTHID: / next-authid
};

class AccessChecker {
 public:
  // `authenticator` may be null when the backend's mechanism is unknown (every login fails);
  // `cookies` may be null when no store is configured (then issuing a cookie is Unavailable).
  // `mechanism` (the backend's auth-mech) labels the refusals counted in the metrics.
  AccessChecker(const BrokerConfig& config, AuthenticatorPtr authenticator, CookieStore* cookies,
                std::optional<std::string> static_cookie, std::string mechanism = "none");

  // Unavailable if the auth mechanism or the cookie store could not be used. A refusal (not
  // granted) counts in x2gobroker_auth_failures_total.
  Result<AccessDecision> Check(const AccessRequest& request) const;

  // True if no credentials are required at all (UCCS anonymous access).
  bool AllowsAnonymous() const { return !require_password_ && !require_cookie_; }
  // HTTP Basic login of UCCS: the password alone decides, no cookie is issued or consumed;
  // with require-cookie nobody can log in this way (as in the reference). A refusal counts too.
  Result<bool> CheckPassword(const AccessRequest& request) const;

 private:
  Result<AccessDecision> Decide(const AccessRequest& request) const;
  Result<bool> DecidePassword(const AccessRequest& request) const;
  Result<AccessDecision> LoginWithPassword(const AccessRequest& request) const;
  Result<AccessDecision> Issue(const std::string& token, const AccessRequest& request, int64_t issued_at) const;

  bool require_password_;
  bool require_cookie_;
  bool use_static_cookie_;
  bool verify_ip_;
  int64_t auth_timeout_;
  AuthenticatorPtr authenticator_;
  CookieStore* cookies_;
  std::optional<std::string> static_cookie_;
  std::string mechanism_;
};

// The static cookie of §4.3 from my-cookie-file / my-cookie; nullopt if none is configured.
std::optional<std::string> LoadStaticCookie(const BrokerConfig& config);

}  // namespace x2gobroker::core
