// SPDX-License-Identifier: AGPL-3.0-or-later
// The FastCGI listen socket: created from --socket, or inherited from spawn-fcgi (fd 0) or
// systemd socket activation (fd 3). Called once at start-up, before any thread exists (the
// unix socket is created under a temporary umask, which is process-wide).
#pragma once

#include <sys/types.h>

#include <string>

#include "core/status.h"
#include "fcgi/options.h"
#include "core/unique_fd.h"

namespace x2gobroker::fcgi {

struct ListenSocket {
  core::UniqueFd fd;
  std::string created_path;  // unix socket file we created (to remove at exit), else empty
  dev_t device = 0;          // identity of that file, so that we never remove a successor's socket
  ino_t inode = 0;
};

// Creates, binds and listens. A unix socket gets `mode` from the start (no window with wider
// permissions); a stale socket file (nobody accepting) is replaced, a live one is an error.
// The descriptor is close-on-exec. On failure returns Unavailable("<what>: <strerror>").
core::Result<ListenSocket> OpenListenSocket(const SocketSpec& spec, mode_t mode, int backlog);

// The inherited socket: fd 3 when systemd passed exactly one (LISTEN_PID is us, LISTEN_FDS=1;
// the variables are then removed from the environment), else fd 0. Fails unless it is a
// listening stream socket. Marks it close-on-exec so that programs we start do not inherit it.
core::Result<ListenSocket> InheritedListenSocket();

// Makes accept() on the shared socket return EAGAIN instead of blocking when another process
// or thread took the connection first (the pool polls before accepting).
core::Status SetNonBlocking(int fd);

// Removes the unix socket file created by OpenListenSocket if it is still ours.
void RemoveCreatedSocket(const ListenSocket& socket);

}  // namespace x2gobroker::fcgi
