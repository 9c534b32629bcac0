// SPDX-License-Identifier: AGPL-3.0-or-later
// Tests EnvironmentFromProcess (config/environment.cc): process environment, then
// defaults.conf [<program>], then [common] (PROTOCOL.md §2.1).
#include <doctest/doctest.h>

#include <cstdlib>
#include <map>
#include <optional>
#include <string>

#include "config/broker_config_loader.h"
#include "test/config/temp_dir.h"

namespace x2gobroker::config {
namespace {

using testing::TempDir;

constexpr const char* kVariables[] = {
    "X2GOBROKER_CONFIG",           "X2GOBROKER_SESSIONPROFILES",   "X2GOBROKER_DEBUG",
    "X2GOBROKER_DEFAULT_BACKEND",  "X2GOBROKER_AGENT_CMD",         "X2GOBROKER_AGENT_USER",
    "X2GOBROKER_DAEMON_USER",      "X2GOBROKER_DAEMON_GROUP",      "X2GOBROKER_AUTHSERVICE_SOCKET",
    "X2GOBROKER_LOADCHECKER_SOCKET",
};

// Clears the broker's variables for one test and restores the caller's values afterwards.
class ScopedEnvironment {
 public:
  ScopedEnvironment() {
    for (const char* name : kVariables) {
      if (const char* v = std::getenv(name)) saved_[name] = v;
      unsetenv(name);
    }
  }
  ~ScopedEnvironment() {
    for (const char* name : kVariables) {
      auto it = saved_.find(name);
      if (it == saved_.end()) {
        unsetenv(name);
      } else {
        setenv(name, it->second.c_str(), 1);
      }
    }
  }
  void Set(const char* name, const char* value) { setenv(name, value, 1); }

 private:
  std::map<std::string, std::string> saved_;
};

TEST_SUITE("config/environment") {

TEST_CASE("without environment and defaults.conf the built-in values apply") {
  ScopedEnvironment env;
  TempDir dir;
  core::BrokerEnvironment e = EnvironmentFromProcess("daemon", dir.path() + "/missing.conf");
  CHECK(e.config_file == "/etc/x2go/x2gobroker.conf");
  CHECK_FALSE(e.session_profiles.has_value());
  CHECK(e.debug == false);
  CHECK(e.default_backend == "inifile");
  CHECK(e.agent_cmd == "/usr/lib/x2go/x2gobroker-agent");
  CHECK(e.agent_user == "x2gobroker");
  CHECK(e.daemon_user == "x2gobroker");
  CHECK(e.daemon_group == "x2gobroker");
  CHECK(e.authservice_socket == "/run/x2gobroker/x2gobroker-authservice.socket");
  CHECK(e.loadchecker_socket == "/run/x2gobroker/x2gobroker-loadchecker.socket");
}

TEST_CASE("process environment, then [<program>], then [common]") {
  ScopedEnvironment env;
  TempDir dir;
  const std::string defaults = dir.Write("defaults.conf",
                                         "[common]\n"
                                         "X2GOBROKER_CONFIG=/common/x2gobroker.conf\n"
                                         "X2GOBROKER_DEFAULT_BACKEND=zeroconf\n"
                                         "X2GOBROKER_AGENT_USER=common-agent\n"
                                         "X2GOBROKER_SESSIONPROFILES=/common/profiles.conf\n"
                                         "X2GOBROKER_AGENT_CMD=/common/agent\n"
                                         "X2GOBROKER_DAEMON_USER=common-user\n"
                                         "[daemon]\n"
                                         "X2GOBROKER_CONFIG=/daemon/x2gobroker.conf\n"
                                         "X2GOBROKER_AGENT_USER=daemon-agent\n"
                                         "X2GOBROKER_DEBUG=yes\n"
                                         "X2GOBROKER_AGENT_CMD=\n"
                                         "DAEMON_BIND_ADDRESS=127.0.0.1:8080\n"
                                         "[authservice]\n"
                                         "X2GOBROKER_DAEMON_GROUP=auth-group\n");
  env.Set("X2GOBROKER_CONFIG", "/env/x2gobroker.conf");
  env.Set("X2GOBROKER_DAEMON_USER", "");  // empty counts as unset

  core::BrokerEnvironment e = EnvironmentFromProcess("daemon", defaults);
  CHECK(e.config_file == "/env/x2gobroker.conf");          // environment
  CHECK(e.agent_user == "daemon-agent");                   // [daemon] over [common]
  CHECK(e.debug == true);                                  // [daemon]
  CHECK(e.default_backend == "zeroconf");                  // [common]
  CHECK(e.session_profiles == std::optional<std::string>("/common/profiles.conf"));
  CHECK(e.agent_cmd == "/common/agent");                   // empty in [daemon]: falls through
  CHECK(e.daemon_user == "common-user");                   // empty in the environment
  CHECK(e.daemon_group == "x2gobroker");                   // only in another program's section

  core::BrokerEnvironment auth = EnvironmentFromProcess("authservice", defaults);
  CHECK(auth.config_file == "/env/x2gobroker.conf");
  CHECK(auth.agent_user == "common-agent");
  CHECK(auth.daemon_group == "auth-group");
  CHECK(auth.debug == false);
}

TEST_CASE("[DEFAULT] of defaults.conf counts for existing sections and the empty program name") {
  ScopedEnvironment env;
  TempDir dir;
  const std::string defaults = dir.Write("defaults.conf",
                                         "[DEFAULT]\n"
                                         "X2GOBROKER_DEFAULT_BACKEND=yaml\n"
                                         "[common]\n"
                                         "X2GOBROKER_DEFAULT_BACKEND=zeroconf\n"
                                         "[daemon]\n");
  // RawConfigParser semantics: [daemon] "has" the [DEFAULT] key, so it wins over [common].
  CHECK(EnvironmentFromProcess("daemon", defaults).default_backend == "yaml");
  // The x2gobroker CLI has the empty section name, which means [DEFAULT].
  CHECK(EnvironmentFromProcess("", defaults).default_backend == "yaml");
}

TEST_CASE("X2GOBROKER_DEBUG is on only for 1/on/true/yes") {
  struct Row {
    const char* value;
    bool debug;
  };
  const Row rows[] = {{"1", true}, {"on", true}, {"TRUE", true}, {"Yes", true},
                      {"0", false}, {"off", false}, {"no", false}, {"maybe", false}};
  ScopedEnvironment env;
  TempDir dir;
  for (const Row& row : rows) {
    CAPTURE(row.value);
    env.Set("X2GOBROKER_DEBUG", row.value);
    CHECK(EnvironmentFromProcess("daemon", dir.path() + "/missing.conf").debug == row.debug);
  }
}

TEST_CASE("a broken defaults.conf is ignored; the environment still applies") {
  ScopedEnvironment env;
  TempDir dir;
  const std::string defaults = dir.Write("defaults.conf", "[common]\nX2GOBROKER_CONFIG=/a\nX2GOBROKER_CONFIG=/b\n");
  env.Set("X2GOBROKER_SESSIONPROFILES", "/env/profiles.conf");
  core::BrokerEnvironment e = EnvironmentFromProcess("daemon", defaults);
  CHECK(e.config_file == "/etc/x2go/x2gobroker.conf");
  CHECK(e.session_profiles == std::optional<std::string>("/env/profiles.conf"));
}

TEST_CASE("the sample config/defaults.conf changes nothing") {
  ScopedEnvironment env;
  core::BrokerEnvironment e = EnvironmentFromProcess("daemon", testing::SourceRoot() + "/config/defaults.conf");
  core::BrokerEnvironment built_in;
  CHECK(e.config_file == built_in.config_file);
  CHECK_FALSE(e.session_profiles.has_value());
  CHECK(e.debug == false);
  CHECK(e.default_backend == built_in.default_backend);
  CHECK(e.agent_cmd == built_in.agent_cmd);
  CHECK(e.authservice_socket == built_in.authservice_socket);
}

}  // TEST_SUITE

}  // namespace
}  // namespace x2gobroker::config
