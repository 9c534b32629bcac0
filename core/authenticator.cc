// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/authenticator.h"

namespace x2gobroker::core {
namespace {
class NoneAuthenticator final : public Authenticator {
 public:
  // core::Authenticator
  Result<bool> Authenticate(const std::string&, const std::string&, const std::string&) const override { return true; }
};
}  // namespace

Result<AuthenticatorPtr> NoneAuthenticatorFactory::Create(const BrokerConfig&) const {
  return AuthenticatorPtr(std::make_shared<NoneAuthenticator>());
}

}  // namespace x2gobroker::core
