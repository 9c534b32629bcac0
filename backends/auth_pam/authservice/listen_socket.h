// SPDX-License-Identifier: AGPL-3.0-or-later
// The auth service's UNIX listen socket: created with its final mode (umask during bind, so
// there is no moment at which it is more open), owner and group set without following
// symlinks, its directory created if missing (0770, same owner and group), and removed at exit
// only if the path still names the socket we made.
#pragma once

#include <sys/types.h>

#include <string>

#include "core/unique_fd.h"
#include "core/status.h"

namespace x2gobroker::backends::auth_pam {

struct ListenSocket {
  core::UniqueFd fd;  // non-blocking, listening
  std::string path;
  dev_t device = 0;
  ino_t inode = 0;
};

// Fails if `path` is too long, its directory's parent is missing, the directory can be written
// by others (and is not sticky), another process listens on `path`, or `path` exists and is not
// a socket. A stale socket file is replaced.
core::Result<ListenSocket> CreateListenSocket(const std::string& path, uid_t owner, gid_t group, mode_t mode);

// Unlinks the socket file if it is still ours (a newer instance may have replaced it).
void RemoveListenSocket(const ListenSocket& socket);

}  // namespace x2gobroker::backends::auth_pam
