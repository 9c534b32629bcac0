// SPDX-License-Identifier: AGPL-3.0-or-later
// Tests the inifile and yaml backends through their factories (backends/ini/ini_backend.cc,
// backends/yaml/yaml_backend.cc) and the shared ProfileFileBackend: profiles, diagnostics,
// watched files and the failure policy of PROTOCOL.md §13 (503, or the previous good profiles).
#include "backends/profile_file_backend.h"

#include <doctest/doctest.h>

#include "backends/ini/ini_backend.h"
#include "backends/yaml/yaml_backend.h"
#include "core/broker_config.h"
#include "test/config/temp_dir.h"

namespace x2gobroker::backends {
namespace {

struct Kind {
  const char* name;
  const char* file;
  const char* good;        // two valid profiles and one with an invalid value
  const char* also_good;   // one profile
  const char* broken;      // cannot be parsed; the error is on line 3
};

const Kind kKinds[] = {
    {"inifile", "profiles.conf",
     "[a]\nhost=h1\n[b]\ncommand=MATE\n[bad]\nfullscreen=maybe\n",
     "[c]\nhost=h3\n",
     "[a]\nhost=h1\n[a]\n"},
    {"yaml", "profiles.yaml",
     "profiles:\n  a:\n    host: h1\n  b:\n    command: MATE\n  bad:\n    fullscreen: maybe\n",
     "profiles:\n  c:\n    host: h3\n",
     "profiles:\n  a: {}\n  a: {}\n"},
};

core::Result<core::SessionBackendPtr> Create(const Kind& kind, const std::string& path,
                                             const core::SessionBackend* previous) {
  core::BrokerConfig config;
  config.backends[kind.name].enable = true;
  config.backends[kind.name].session_profiles = path;
  if (std::string(kind.name) == "inifile") return ini::IniBackendFactory().Create(config, previous);
  return yaml::YamlBackendFactory().Create(config, previous);
}

std::vector<std::string> Ids(const core::SessionBackend& backend) {
  std::vector<std::string> ids;
  auto profiles = backend.Profiles();
  if (!profiles.ok()) return ids;
  for (const auto& p : profiles.value()->profiles) ids.push_back(p->id);
  return ids;
}

TEST_SUITE("backends/profile_file_backend") {

TEST_CASE("a good file: valid profiles served, the invalid one left out with a diagnostic") {
  for (const Kind& kind : kKinds) {
    CAPTURE(kind.name);
    testing::TempDir dir;
    const std::string path = dir.Write(kind.file, kind.good);
    core::Result<core::SessionBackendPtr> backend = Create(kind, path, nullptr);
    REQUIRE(backend.ok());
    CHECK(Ids(*backend.value()) == std::vector<std::string>{"a", "b"});
    CHECK((*backend)->WatchedFiles() == std::vector<std::string>{path});
    CHECK_FALSE((*backend)->GeneratesProfiles());
    std::vector<core::Diagnostic> diagnostics = (*backend)->Diagnostics();
    REQUIRE(diagnostics.size() == 1);
    CHECK(diagnostics[0].severity == core::Diagnostic::Severity::kError);
    CHECK(diagnostics[0].text.rfind(path + ":", 0) == 0);
    CHECK(diagnostics[0].text.find("fullscreen") != std::string::npos);
  }
}

TEST_CASE("a file that cannot be parsed: Unavailable, and the error names file:line") {
  for (const Kind& kind : kKinds) {
    CAPTURE(kind.name);
    testing::TempDir dir;
    const std::string path = dir.Write(kind.file, kind.broken);
    core::Result<core::SessionBackendPtr> backend = Create(kind, path, nullptr);
    REQUIRE(backend.ok());  // the process still starts; only this backend answers 503
    auto profiles = (*backend)->Profiles();
    REQUIRE_FALSE(profiles.ok());
    CHECK(profiles.status().code() == core::StatusCode::kUnavailable);
    std::vector<core::Diagnostic> diagnostics = (*backend)->Diagnostics();
    REQUIRE(diagnostics.size() == 1);
    CHECK(diagnostics[0].text.rfind(path + ":3: ", 0) == 0);
    CHECK((*backend)->WatchedFiles() == std::vector<std::string>{path});
  }
}

TEST_CASE("a missing file: Unavailable") {
  for (const Kind& kind : kKinds) {
    CAPTURE(kind.name);
    testing::TempDir dir;
    core::Result<core::SessionBackendPtr> backend = Create(kind, dir.path() + "/" + kind.file, nullptr);
    REQUIRE(backend.ok());
    CHECK((*backend)->Profiles().status().code() == core::StatusCode::kUnavailable);
  }
}

TEST_CASE("on a reload, a broken file keeps the previous good profiles") {
  for (const Kind& kind : kKinds) {
    CAPTURE(kind.name);
    testing::TempDir dir;
    const std::string path = dir.Write(kind.file, kind.good);
    core::SessionBackendPtr first = Create(kind, path, nullptr).value();

    dir.Write(kind.file, kind.broken);
    core::SessionBackendPtr second = Create(kind, path, first.get()).value();
    REQUIRE(second->Profiles().ok());
    CHECK(second->Profiles().value() == first->Profiles().value());  // the same, shared set
    CHECK(dynamic_cast<const ProfileFileBackend&>(*second).ServesPreviousProfiles());
    REQUIRE(second->Diagnostics().size() == 1);
    CHECK(second->Diagnostics()[0].text.rfind(path + ":3: ", 0) == 0);

    // Still broken on the next reload: the profiles kept are kept again.
    core::SessionBackendPtr third = Create(kind, path, second.get()).value();
    CHECK(Ids(*third) == std::vector<std::string>{"a", "b"});

    // Fixed: the new content is served.
    dir.Write(kind.file, kind.also_good);
    core::SessionBackendPtr fourth = Create(kind, path, third.get()).value();
    CHECK(Ids(*fourth) == std::vector<std::string>{"c"});
    CHECK_FALSE(dynamic_cast<const ProfileFileBackend&>(*fourth).ServesPreviousProfiles());
  }
}

TEST_CASE("profiles are only kept from a previous backend of the same kind that had some") {
  testing::TempDir dir;
  const Kind& ini = kKinds[0];
  const Kind& yaml = kKinds[1];
  core::SessionBackendPtr yaml_good = Create(yaml, dir.Write(yaml.file, yaml.good), nullptr).value();
  const std::string ini_path = dir.Write(ini.file, ini.broken);
  CHECK_FALSE(Create(ini, ini_path, yaml_good.get()).value()->Profiles().ok());

  core::SessionBackendPtr ini_broken = Create(ini, ini_path, nullptr).value();
  CHECK_FALSE(Create(ini, ini_path, ini_broken.get()).value()->Profiles().ok());
}

}  // TEST_SUITE

}  // namespace
}  // namespace x2gobroker::backends
