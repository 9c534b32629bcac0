// SPDX-License-Identifier: AGPL-3.0-or-later
// The default core::CookieStore (PROTOCOL.md §4.2, §13 rows 7, 8, 26): one file per token in
// `cookie-directory`, shared by every worker thread and every worker process (spawn-fcgi -F N,
// the prefork pool) through the file system alone; nothing is cached in memory.
//
// Layout of the directory (it must be owned by the process user and not group- or
// world-writable; it is created 0700 when missing):
//   <64 hex>                 a live record; the name is the hex SHA-256 of the token, so no
//                            file name ever contains anything a client sent
//   tmp.<32 hex>             a record being written (O_CREAT|O_EXCL, then renamed into place)
//   claim.<64 hex>.<32 hex>  a record being consumed: Take renames it here first, so exactly
//                            one of several concurrent takers (in any process) wins
// Record content (strict, version-tagged, one field per line; user and address hex-encoded so
// that any byte sequence round-trips):
//   x2gobroker-cookie 1\nuser <hex>\naddress <hex>\nissued <decimal seconds>\n
// Expired records (and debris of crashed writers/takers) are deleted at creation and at most
// once per purge interval per store, by age of the file (mtime), which is never earlier than
// the issue time it holds.
#pragma once

#include <cstdint>
#include <string>

#include "core/broker.h"
#include "core/cookie_store.h"
#include "core/status.h"

namespace x2gobroker::backends::cookie_store {

struct FileCookieStoreOptions {
  std::string directory;
  // Records whose file is older than auth_timeout + purge_margin seconds are deleted.
  int64_t auth_timeout = 36000;
  // A little slack so that a record is never purged while check_access may still accept it.
  int64_t purge_margin = 60;
  // Seconds between two opportunistic purges of one store (triggered by Put).
  int64_t purge_interval = 60;
};

// Makes a store for `options.directory`. If the directory exists, checks it now (owner, mode)
// and purges it; a directory that is not usable is logged and does not fail creation: every
// Put/Take then returns Unavailable (503) with the reason until the administrator fixes it.
// A missing directory is created (0700, parents 0755) by the first Put, so that a
// --check-config run by root leaves nothing behind. Fails only on a relative or empty path.
core::Result<core::CookieStorePtr> MakeFileCookieStore(const FileCookieStoreOptions& options);

// The broker's factory: a store for BrokerConfig.cookie_directory and auth_timeout. The
// directory is only touched at creation when the configuration can issue dynamic cookies
// (check-credentials and require-password), so password-less deployments need none.
// Relative paths are refused only in that case.
core::CookieStoreFactory MakeFileCookieStoreFactory();

// Deletes the records and debris in `directory` whose files are older than `max_age_seconds`
// (by mtime; now is the wall clock). Unknown files are left alone. Returns the number
// deleted; Unavailable if the directory is not usable (see above).
core::Result<int> PurgeCookieDirectory(const std::string& directory, int64_t max_age_seconds);

// The file name of `token`'s record: lower-case hex SHA-256, 64 characters.
std::string CookieFileName(const std::string& token);

}  // namespace x2gobroker::backends::cookie_store
