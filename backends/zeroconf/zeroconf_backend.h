// SPDX-License-Identifier: AGPL-3.0-or-later
// The `zeroconf` backend (PROTOCOL.md §5.3.6): a demo serving one fixed profile for a desktop
// session on localhost. As in the reference, the profile id is a fresh random UUID on every
// listing, so GeneratesProfiles() is true and `selectsession` must accept any id.
// Immutable after creation: thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/session_backend.h"
#include "core/session_profile.h"

namespace x2gobroker::backends::zeroconf {

class ZeroconfBackend final : public core::SessionBackend {
 public:
  // Builds the profile once with `desktop_shell` (upper-cased) as its command. Fails with
  // InvalidArgument if that yields an invalid profile (e.g. control characters).
  static core::Result<std::shared_ptr<const ZeroconfBackend>> Create(const std::string& desktop_shell);

  // core::SessionBackend
  // One profile, with a new random UUIDv4 as its id on every call.
  core::Result<std::shared_ptr<const core::ProfileSet>> Profiles() const override;
  std::vector<core::Diagnostic> Diagnostics() const override { return {}; }
  std::vector<std::string> WatchedFiles() const override { return {}; }
  bool GeneratesProfiles() const override { return true; }

 private:
  explicit ZeroconfBackend(core::SessionProfile profile) : template_(std::move(profile)) {}
  core::SessionProfile template_;  // everything but the id
};

class ZeroconfBackendFactory final : public core::SessionBackendFactory {
 public:
  // core::SessionBackendFactory: uses [broker_zeroconf] desktop-shell.
  core::Result<core::SessionBackendPtr> Create(const core::BrokerConfig& config,
                                               const core::SessionBackend* previous) const override;
};

}  // namespace x2gobroker::backends::zeroconf
