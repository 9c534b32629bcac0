// SPDX-License-Identifier: AGPL-3.0-or-later
// A CookieStore keeps the dynamic authentication cookies (AUTHIDs) between requests, shared by
// all workers of a broker (PROTOCOL.md §4.2). Keys are tokens (36-char UUIDs, validated before
// they get here); implementations must never derive a path from a user name or token text.
// Thread- and process-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/status.h"

namespace x2gobroker::core {

struct CookieRecord {
  std::string user;
  std::string client_address;
  int64_t issued_at = 0;  // seconds since the epoch of the password login (not sliding)
};

class CookieStore {
 public:
  virtual ~CookieStore() = default;
  // Stores a new token. Unavailable if the store cannot be written.
  virtual Status Put(const std::string& token, const CookieRecord& record) = 0;
  // Atomically removes and returns the record of `token` if it exists and was issued to `user`.
  // NotFound if there is none (or it belongs to another user, which is left untouched).
  virtual Result<CookieRecord> Take(const std::string& token, const std::string& user) = 0;
};
using CookieStorePtr = std::shared_ptr<CookieStore>;

}  // namespace x2gobroker::core
