// SPDX-License-Identifier: AGPL-3.0-or-later
// Reading and atomically replacing a small file that root writes into another account's
// directory (authorized_keys): symlinks are never followed, the new content appears at once
// (temporary file + fsync + rename) with its final mode and owner.
#pragma once

#include <sys/types.h>

#include <string>

#include "core/status.h"
#include "tools/system_account.h"

namespace x2gobroker::tools {

// Reads `path` into *out; a missing file is OK with *out empty. InvalidArgument if it is a
// symlink or not a regular file, TooLarge past max_bytes, Internal for other errors.
core::Status ReadSmallFileNoFollow(const std::string& path, size_t max_bytes, std::string* out);

// Writes `content` to a new temporary file beside `path`, gives it `mode` and (as root) the
// owner `account`, fsyncs and renames it over `path`. On failure `path` is unchanged and the
// temporary file removed; Internal with the reason.
core::Status ReplaceFile(const std::string& path, const std::string& content, mode_t mode,
                         const SystemAccount& account);

}  // namespace x2gobroker::tools
