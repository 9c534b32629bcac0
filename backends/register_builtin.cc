// SPDX-License-Identifier: AGPL-3.0-or-later
// The one list of compiled-in profile backends. `base` and `ldap` have configuration sections
// but no implementation (as in the reference), so they are not registered.
#include "backends/register_builtin.h"

#include <memory>

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

}  // namespace x2gobroker::backends
