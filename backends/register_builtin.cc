// SPDX-License-Identifier: AGPL-3.0-or-later
// The one list of compiled-in profile backends and authentication mechanisms. `base` and `ldap`
// have configuration sections but no implementation (as in the reference), so they are not
// registered.
#include "backends/register_builtin.h"

#include <memory>

#include "backends/auth_https_get/https_get_authenticator.h"
#include "backends/auth_pam/pam_authenticator.h"
#include "backends/ini/ini_backend.h"
#include "backends/yaml/yaml_backend.h"
#include "backends/zeroconf/zeroconf_backend.h"

namespace x2gobroker::backends {

core::Status RegisterBuiltinBackends(core::SessionBackendRegistry& registry) {
  core::Status status = registry.Register("inifile", std::make_unique<ini::IniBackendFactory>());
  if (status.ok()) status = registry.Register("yaml", std::make_unique<yaml::YamlBackendFactory>());
  if (status.ok()) status = registry.Register("zeroconf", std::make_unique<zeroconf::ZeroconfBackendFactory>());
  return status;
}

core::Status RegisterBuiltinAuthenticators(core::AuthenticatorRegistry& registry) {
  core::Status status = registry.Register("none", std::make_unique<core::NoneAuthenticatorFactory>());
  if (status.ok()) status = registry.Register("pam", std::make_unique<auth_pam::PamAuthenticatorFactory>());
  if (status.ok()) status = registry.Register("https_get", std::make_unique<auth_https_get::HttpsGetAuthenticatorFactory>());
  // `testsuite` (§4.4) is deliberately not compiled in.
  return status;
}

}  // namespace x2gobroker::backends
