// SPDX-License-Identifier: AGPL-3.0-or-later
// A SessionBackend provides the session profiles of one broker backend (`inifile`, `yaml`,
// `zeroconf`, ...), i.e. what /plain/<backend>/ and /json/<backend>/ serve.
// Instances are created per configuration load by a SessionBackendFactory and are immutable
// afterwards: shared by all worker threads, so implementations must be thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/diagnostic.h"
#include "core/registry.h"
#include "core/session_profile.h"
#include "core/status.h"

namespace x2gobroker::core {

struct BrokerConfig;

class SessionBackend {
 public:
  virtual ~SessionBackend() = default;

  // The profiles offered by this backend, or Unavailable when its profile file could not be
  // loaded at all (the backend then answers 503, PROTOCOL.md §13 policy).
  // `user` is the broker user; backends that generate profiles (zeroconf) may use it.
  virtual Result<std::shared_ptr<const ProfileSet>> Profiles() const = 0;

  // Problems found at load (the backend logs each once per load); for --check-config.
  virtual std::vector<Diagnostic> Diagnostics() const = 0;

  // Files that make this backend reload when they change on disk.
  virtual std::vector<std::string> WatchedFiles() const = 0;

  // True if profile ids are generated per request (zeroconf): a new id each listing.
  virtual bool GeneratesProfiles() const { return false; }
};
using SessionBackendPtr = std::shared_ptr<const SessionBackend>;

// Creates a backend from the configuration. `previous` is the backend of the same name from the
// running configuration (or nullptr): a backend whose file fails to parse on a reload keeps the
// previous good profiles (PROTOCOL.md §13 policy).
class SessionBackendFactory {
 public:
  virtual ~SessionBackendFactory() = default;
  virtual Result<SessionBackendPtr> Create(const BrokerConfig& config, const SessionBackend* previous) const = 0;
};

using SessionBackendRegistry = Registry<SessionBackendFactory>;

}  // namespace x2gobroker::core
