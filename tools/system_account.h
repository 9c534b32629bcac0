// SPDX-License-Identifier: AGPL-3.0-or-later
// The accounts the admin tools act for (x2gobroker by default): password-database look-up,
// ownership of the files they write, and dropping root to the broker's user. Thread-safe
// except DropPrivilegesTo (process-wide, call before starting threads).
#pragma once

#include <sys/types.h>

#include <string>

#include "core/status.h"

namespace x2gobroker::tools {

struct SystemAccount {
  std::string name;
  uid_t uid = 0;
  gid_t gid = 0;  // primary group
  std::string home;
};

// The passwd entry of `name`. NotFound if there is none.
core::Result<SystemAccount> LookupAccount(const std::string& name);

// PermissionDenied("<tool> must be run as root") unless the effective uid is 0.
core::Status RequireRoot(const std::string& tool);

// As root: initgroups, setgid, setuid to `account` (irrevocably), HOME set to its home.
// Not root: OK if the process already runs as account.uid, else PermissionDenied.
core::Status DropPrivilegesTo(const SystemAccount& account);

// Creates `dir` with `mode` if missing (the parent must exist); as root, owned by
// account.uid:account.gid (also an existing one, whose mode is kept). InvalidArgument if
// `dir` is not a directory or is a symlink; Internal for a failing system call.
core::Status EnsureOwnedDirectory(const std::string& dir, mode_t mode, const SystemAccount& account);

// Sets `mode` and, as root, the owner of an existing file (not following a symlink).
core::Status SetOwnerAndMode(const std::string& path, mode_t mode, const SystemAccount& account);

}  // namespace x2gobroker::tools
