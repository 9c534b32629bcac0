// SPDX-License-Identifier: AGPL-3.0-or-later
// Tests backends/register_builtin.cc.
#include "backends/register_builtin.h"

#include <doctest/doctest.h>

namespace x2gobroker::backends {
namespace {

TEST_SUITE("backends/register_builtin") {

TEST_CASE("registers inifile, yaml and zeroconf; a second registration is refused") {
  core::SessionBackendRegistry registry;
  REQUIRE(RegisterBuiltinBackends(registry).ok());
  CHECK(registry.Names() == std::vector<std::string>{"inifile", "yaml", "zeroconf"});
  CHECK(registry.Find("base") == nullptr);
  CHECK(registry.Find("ldap") == nullptr);
  core::Status again = RegisterBuiltinBackends(registry);
  CHECK_FALSE(again.ok());
  CHECK(again.message().find("duplicate") != std::string::npos);
}

}  // TEST_SUITE

}  // namespace
}  // namespace x2gobroker::backends
