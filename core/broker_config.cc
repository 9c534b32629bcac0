// SPDX-License-Identifier: AGPL-3.0-or-later
// Derived settings of BrokerConfig: the backend → global → built-in precedence of PROTOCOL.md
// §2.5 for the values that do not depend on a profile.
#include "core/broker_config.h"

#include "core/string_util.h"

namespace x2gobroker::core {

std::string BrokerConfig::AuthMechFor(const std::string& backend) const {
  const BackendSection* section = Backend(backend);
  if (section != nullptr && !section->auth_mech.empty()) return ToLower(section->auth_mech);
  if (!default_auth_mech.empty()) return ToLower(default_auth_mech);
  // The reference would return "" here; an empty mechanism has no meaning, pam is the default.
  return "pam";
}

std::string BrokerConfig::AgentQueryModeFor(const std::string& backend) const {
  const BackendSection* section = Backend(backend);
  if (section != nullptr && !section->agent_query_mode.empty()) return ToUpper(section->agent_query_mode);
  if (!default_agent_query_mode.empty()) return ToUpper(default_agent_query_mode);
  // Built-in fallback of the reference when even the global key is empty (§2.5).
  return "LOCAL";
}

}  // namespace x2gobroker::core
