// SPDX-License-Identifier: AGPL-3.0-or-later
// FileKeyDeletionQueue: the persistent deletion queue for temporary autologin keys (PROTOCOL.md
// §10.4, §13 row 13). One small file per pending deletion in a 0700 directory owned by the
// broker's user, written with write-to-temp + fsync + rename, so an entry exists on disk before
// its key is installed and survives any crash. Any broker worker (and the load checker) drains
// due entries: an entry is claimed with rename(2), which exactly one taker wins; a claim whose
// owner died is released again after kStaleClaim. Failed deletions are retried with back-off.
// File names are built from the due time and random bytes, never from request data.
#pragma once

#include <string>

#include "core/agent_client.h"
#include "core/agent_services.h"

namespace x2gobroker::agent {

class FileKeyDeletionQueue final : public core::KeyDeletionQueue {
 public:
  // Creates `directory` (0700) if missing. Unavailable if it cannot be used.
  static core::Result<std::shared_ptr<FileKeyDeletionQueue>> Open(const std::string& directory);

  // core::KeyDeletionQueue
  core::Status Schedule(const core::PendingKeyDeletion& deletion) const override;
  size_t RunDue(int64_t now_unix, const core::AgentClient* ssh, const core::AgentClient* local) const override;

  // Pending entries (claimed or not), for tests and metrics.
  size_t PendingCount() const;

 private:
  explicit FileKeyDeletionQueue(std::string directory) : directory_(std::move(directory)) {}
  core::Status Write(const core::PendingKeyDeletion& deletion, int attempts) const;

  std::string directory_;
};

// The text form of an entry ("key value" lines) and its strict parser, exposed for tests.
std::string EncodeKeyDeletion(const core::PendingKeyDeletion& deletion, int attempts);
core::Result<core::PendingKeyDeletion> DecodeKeyDeletion(std::string_view text, int* attempts);

}  // namespace x2gobroker::agent
