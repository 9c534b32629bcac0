// SPDX-License-Identifier: AGPL-3.0-or-later
// FakeBackendFactory serves profiles built from INI text held in memory (or Unavailable).
#pragma once

#include <memory>
#include <string>

#include "core/broker_config.h"
#include "core/session_backend.h"
#include "test/core/profiles_from_ini.h"

namespace x2gobroker::test {

class FakeBackend final : public core::SessionBackend {
 public:
  explicit FakeBackend(std::shared_ptr<const core::ProfileSet> set) : set_(std::move(set)) {}
  core::Result<std::shared_ptr<const core::ProfileSet>> Profiles() const override {
    if (!set_) return core::Unavailable("profile file broken");
    return set_;
  }
  std::vector<core::Diagnostic> Diagnostics() const override { return {}; }
  std::vector<std::string> WatchedFiles() const override { return {}; }

 private:
  std::shared_ptr<const core::ProfileSet> set_;
};

class FakeBackendFactory final : public core::SessionBackendFactory {
 public:
  // `ini` empty → a backend whose file is broken (Unavailable).
  explicit FakeBackendFactory(std::string ini) : ini_(std::move(ini)) {}
  core::Result<core::SessionBackendPtr> Create(const core::BrokerConfig&, const core::SessionBackend*) const override {
    if (ini_.empty()) return core::SessionBackendPtr(std::make_shared<FakeBackend>(nullptr));
    auto built = ProfilesFromIni(ini_);
    return core::SessionBackendPtr(
        std::make_shared<FakeBackend>(std::make_shared<core::ProfileSet>(std::move(built.profiles))));
  }

 private:
  std::string ini_;
};

}  // namespace x2gobroker::test
