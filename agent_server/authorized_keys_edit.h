// SPDX-License-Identifier: AGPL-3.0-or-later
// addauthkey / delauthkey done in-process (PROTOCOL.md §9.7, issue #6 item 3): no shell, no
// sed, no tee. The caller has ALREADY dropped to the target user (privilege_drop.h), so every
// file created here belongs to that user and the kernel's permission checks are the user's.
// On top of that:
//   * the expanded path must be absolute and lie strictly below the user's home directory,
//     without "." or ".." components;
//   * below the home directory every component is opened with openat(O_NOFOLLOW) from its
//     parent's descriptor: a symlinked directory or file is refused (ELOOP), never followed;
//   * directories on the way must be owned by the current euid and not group/world-writable;
//     missing ones are created 0700;
//   * the file must be a regular file owned by the current euid, not group/world-writable;
//   * the new contents are written to a temporary file in the same directory (0600, or the old
//     file's permission bits), fsync'ed and renamed over the file; the directory is fsync'ed.
// Not thread-safe with respect to the same file (one agent run edits one file at a time; two
// concurrent runs may lose one edit, never corrupt the file).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace x2gobroker::agent_server {

// Largest authorized_keys file this code will read and rewrite.
inline constexpr size_t kMaxAuthorizedKeysBytes = 1 << 20;

struct KeyPathVars {
  std::string user;  // %u
  std::string uid;   // %U
  std::string gid;   // %G (primary group)
  std::string home;  // %h
};

// Replaces the FIRST occurrence of %u, %U, %G, %h and then %% (→ %), one after the other on the
// evolving string, as the reference does. No other change; relative paths stay relative.
std::string ExpandKeyFilePath(std::string_view pattern, const KeyPathVars& vars);

// The contents with `key_line` appended (after a \n if the old contents do not end in one), or
// nullopt if some line already equals `key_line` exactly (idempotent).
std::optional<std::string> WithKeyLineAdded(std::string_view contents, std::string_view key_line);
// The contents without the lines exactly equal to `key_line`, or nullopt if there is none. No
// other line is touched (empty lines of others stay).
std::optional<std::string> WithKeyLineRemoved(std::string_view contents, std::string_view key_line);

// Adds `key_line` to the file `path` (already expanded) below `home`, creating the missing
// directories and the file. OK if it was there already. InvalidArgument for a path outside
// home; PermissionDenied for a symlink, a wrong owner or mode, a non-regular file; TooLarge
// beyond kMaxAuthorizedKeysBytes; Internal for I/O errors. On failure the file is unchanged.
// REQUIRES: running as the owner of `home` (the target user); key_line validated, no \n.
core::Status AddAuthorizedKey(const std::string& home, const std::string& path, const std::string& key_line);

// Removes every line exactly equal to `key_line`. OK if the file or its directory does not
// exist, or holds no such line (nothing to remove). Errors as AddAuthorizedKey; never creates
// anything.
core::Status DelAuthorizedKey(const std::string& home, const std::string& path, const std::string& key_line);

}  // namespace x2gobroker::agent_server
