// SPDX-License-Identifier: AGPL-3.0-or-later
#include "backends/profile_file_backend.h"

#include <cerrno>
#include <cstring>

#include "core/log.h"
#include "core/profile_builder.h"
#include "core/string_util.h"

namespace x2gobroker::backends {

core::Status ReadProfileText(const std::string& path, std::string* text) {
  errno = 0;
  if (core::ReadFile(path, text)) return core::Status::Ok();
  return core::Unavailable(path + ": cannot read: " + std::strerror(errno != 0 ? errno : EIO));
}

namespace {

void LogDiagnostic(const core::Diagnostic& d) {
  if (d.severity == core::Diagnostic::Severity::kError) {
    core::LogError(d.text);
  } else {
    core::LogWarning(d.text);
  }
}

}  // namespace

std::shared_ptr<const ProfileFileBackend> ProfileFileBackend::Load(const std::string& kind, const std::string& path,
                                                                   ProfileFileReader reader,
                                                                   const core::SessionBackend* previous) {
  std::shared_ptr<ProfileFileBackend> backend(new ProfileFileBackend(kind, path));
  core::Result<core::RawProfileSet> raw = reader(path);
  if (!raw.ok()) {
    core::Diagnostic error{core::Diagnostic::Severity::kError, raw.status().message()};
    LogDiagnostic(error);
    backend->diagnostics_.push_back(std::move(error));
    const auto* before = dynamic_cast<const ProfileFileBackend*>(previous);
    if (before != nullptr && before->kind_ == kind && before->profiles_ != nullptr) {
      backend->profiles_ = before->profiles_;
      backend->kept_previous_ = true;
      core::LogWarning("backend " + kind + ": keeping the " + std::to_string(before->profiles_->profiles.size()) +
                       " profiles of the previous load of " + before->path_);
    } else {
      backend->unavailable_reason_ = "backend " + kind + ": no usable profiles: " + raw.status().message();
    }
    return backend;
  }
  core::ProfileBuildResult built = core::BuildProfiles(raw.value());
  for (const core::Diagnostic& d : built.diagnostics) LogDiagnostic(d);
  backend->diagnostics_ = std::move(built.diagnostics);
  backend->profiles_ = std::make_shared<const core::ProfileSet>(std::move(built.profiles));
  return backend;
}

core::Result<std::shared_ptr<const core::ProfileSet>> ProfileFileBackend::Profiles() const {
  if (profiles_ == nullptr) return core::Unavailable(unavailable_reason_);
  return profiles_;
}

std::vector<core::Diagnostic> ProfileFileBackend::Diagnostics() const { return diagnostics_; }

std::vector<std::string> ProfileFileBackend::WatchedFiles() const { return {path_}; }

}  // namespace x2gobroker::backends
