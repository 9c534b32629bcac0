// SPDX-License-Identifier: AGPL-3.0-or-later
// An Authenticator checks a broker user's password (PROTOCOL.md §4.4): `none` here, `pam`
// (through the privileged auth service) and `https_get` in backends/. Shared by all worker
// threads: implementations must be thread-safe. An unknown user and a wrong password must be
// indistinguishable (same result, similar time).
#pragma once

#include <memory>
#include <string>

#include "core/registry.h"
#include "core/status.h"

namespace x2gobroker::core {

struct BrokerConfig;

class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // OK(true) if the password is right, OK(false) if not (or the user is unknown);
  // Unavailable if the mechanism could not be asked (then the request fails with 503).
  virtual Result<bool> Authenticate(const std::string& user, const std::string& password,
                                    const std::string& client_address) const = 0;
};
using AuthenticatorPtr = std::shared_ptr<const Authenticator>;

class AuthenticatorFactory {
 public:
  virtual ~AuthenticatorFactory() = default;
  virtual Result<AuthenticatorPtr> Create(const BrokerConfig& config) const = 0;
};
using AuthenticatorRegistry = Registry<AuthenticatorFactory>;

// `none`: every login succeeds, even with an empty user and password (reference behaviour).
class NoneAuthenticatorFactory final : public AuthenticatorFactory {
 public:
  // core::AuthenticatorFactory
  Result<AuthenticatorPtr> Create(const BrokerConfig& config) const override;
};

}  // namespace x2gobroker::core
