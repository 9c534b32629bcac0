// SPDX-License-Identifier: AGPL-3.0-or-later
// Tests the derived settings of core/broker_config.cc (PROTOCOL.md §2.5). They live with the
// config tests because the loader is what fills BrokerConfig.
#include "core/broker_config.h"

#include <doctest/doctest.h>

namespace x2gobroker::core {
namespace {

TEST_SUITE("config/broker_config") {

TEST_CASE("AuthMechFor: backend auth-mech, then default-auth-mech, then pam; lower-cased") {
  struct Row {
    const char* backend_mech;
    const char* global_mech;
    const char* expected;
  };
  const Row rows[] = {
      {"", "pam", "pam"},
      {"", "NONE", "none"},
      {"HTTPS_GET", "none", "https_get"},
      {"", "", "pam"},
  };
  for (const Row& row : rows) {
    CAPTURE(row.backend_mech);
    CAPTURE(row.global_mech);
    BrokerConfig config;
    config.backends["inifile"].auth_mech = row.backend_mech;
    config.default_auth_mech = row.global_mech;
    CHECK(config.AuthMechFor("inifile") == row.expected);
  }
  BrokerConfig config;
  config.default_auth_mech = "None";
  CHECK(config.AuthMechFor("nosuch") == "none");
}

TEST_CASE("AgentQueryModeFor: backend mode, then default mode, then LOCAL; upper-cased") {
  struct Row {
    const char* backend_mode;
    const char* global_mode;
    const char* expected;
  };
  const Row rows[] = {
      {"", "NONE", "NONE"},
      {"ssh", "NONE", "SSH"},
      {"", "local", "LOCAL"},
      {"", "", "LOCAL"},
  };
  for (const Row& row : rows) {
    CAPTURE(row.backend_mode);
    CAPTURE(row.global_mode);
    BrokerConfig config;
    config.backends["inifile"].agent_query_mode = row.backend_mode;
    config.default_agent_query_mode = row.global_mode;
    CHECK(config.AgentQueryModeFor("inifile") == row.expected);
  }
}

}  // TEST_SUITE

}  // namespace
}  // namespace x2gobroker::core
