// SPDX-License-Identifier: AGPL-3.0-or-later
// SocketLoadChecker: the broker's side of x2gobroker-loadchecker (PROTOCOL.md §11.2, frames of
// core/load_checker_protocol.h). One UNIX stream connection per question: connect, send one
// REQ_PROFILE_LOAD, read one answer, close. The whole exchange is bounded by one time-out, so
// a hung or missing daemon costs a request at most that long (the broker then balances by
// session counts alone, §10.3). Stateless apart from its settings; thread-safe. std + POSIX.
#pragma once

#include <chrono>
#include <map>
#include <string>

#include "core/agent_services.h"

namespace x2gobroker::core {

// Long enough for a busy daemon on the same machine, short enough not to stall a request.
inline constexpr std::chrono::milliseconds kLoadCheckerTimeout{1000};

class SocketLoadChecker final : public LoadChecker {
 public:
  explicit SocketLoadChecker(std::string socket_path, std::chrono::milliseconds timeout = kLoadCheckerTimeout)
      : socket_path_(std::move(socket_path)), timeout_(timeout) {}

  // core::LoadChecker
  // An unknown profile (the daemon does not poll it) is an empty map. Unavailable when the
  // socket cannot be reached, the daemon closes without an answer (e.g. our uid is refused),
  // answers garbage or not within the time-out. InvalidArgument if `backend` or `profile_id`
  // cannot be sent (control character, too long): nothing is sent then.
  Result<std::map<std::string, LoadFactor>> ProfileLoad(const std::string& backend,
                                                       const std::string& profile_id) const override;

  const std::string& socket_path() const { return socket_path_; }

 private:
  const std::string socket_path_;
  const std::chrono::milliseconds timeout_;
};

}  // namespace x2gobroker::core
