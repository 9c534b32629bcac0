// SPDX-License-Identifier: AGPL-3.0-or-later
// ProfileFileBackend: a SessionBackend that serves the session profiles of one file. The
// `inifile` and `yaml` backends differ only in the reader that turns the file into a
// core::RawProfileSet; loading, diagnostics and the failure policy of PROTOCOL.md §13 live here.
// Immutable after Load(): thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/diagnostic.h"
#include "core/raw_profiles.h"
#include "core/session_backend.h"
#include "core/status.h"

namespace x2gobroker::backends {

// Reads one profile file. Returns InvalidArgument("file:line: problem") when the file cannot be
// parsed at all and Unavailable when it cannot be read (a missing file included).
using ProfileFileReader = core::Result<core::RawProfileSet> (*)(const std::string& path);

// Reads a whole profile file. A missing file is Unavailable: unlike the reference (which serves
// an empty list), a wrong path must be visible as 503 plus a log line, not as "no profiles".
core::Status ReadProfileText(const std::string& path, std::string* text);

class ProfileFileBackend final : public core::SessionBackend {
 public:
  // Reads `path` with `reader`, builds the profiles (core::BuildProfiles) and logs every
  // diagnostic once. If the file cannot be parsed at all, the backend keeps the profiles of
  // `previous` when that is a ProfileFileBackend of the same `kind` that had profiles
  // (a reload), else Profiles() returns Unavailable. Diagnostics() holds the error either way.
  static std::shared_ptr<const ProfileFileBackend> Load(const std::string& kind, const std::string& path,
                                                        ProfileFileReader reader,
                                                        const core::SessionBackend* previous);

  // core::SessionBackend
  core::Result<std::shared_ptr<const core::ProfileSet>> Profiles() const override;
  std::vector<core::Diagnostic> Diagnostics() const override;
  std::vector<std::string> WatchedFiles() const override;

  const std::string& kind() const { return kind_; }
  // True if the profiles served are those of an earlier load because this one failed.
  bool ServesPreviousProfiles() const { return kept_previous_; }

 private:
  ProfileFileBackend(std::string kind, std::string path) : kind_(std::move(kind)), path_(std::move(path)) {}

  std::string kind_;
  std::string path_;
  std::shared_ptr<const core::ProfileSet> profiles_;  // nullptr: unavailable
  std::string unavailable_reason_;
  bool kept_previous_ = false;
  std::vector<core::Diagnostic> diagnostics_;
};

}  // namespace x2gobroker::backends
