// SPDX-License-Identifier: AGPL-3.0-or-later
// The libssh2 handles, each wrapped once (STYLE: Ownership), and the one-time library start.
#pragma once

#include <libssh2.h>

#include <memory>

namespace x2gobroker::agent {

// libssh2_init once per process, from any thread (its global state is not thread-safe to set up).
// Returns false if the library could not initialise its crypto back-end.
bool EnsureLibssh2Initialized();

// Freeing a session may still talk to the peer (channel closes); blocking mode makes it finish
// instead of returning EAGAIN and leaking. Callers shut the socket down first when the peer is
// not to be waited for, so this never blocks on a dead host.
struct Libssh2SessionDeleter {
  void operator()(LIBSSH2_SESSION* s) const {
    libssh2_session_set_blocking(s, 1);
    libssh2_session_free(s);
  }
};
using SshSessionPtr = std::unique_ptr<LIBSSH2_SESSION, Libssh2SessionDeleter>;

// REQUIRES: destroyed before the session that opened it.
struct Libssh2ChannelDeleter {
  void operator()(LIBSSH2_CHANNEL* c) const { libssh2_channel_free(c); }
};
using SshChannelPtr = std::unique_ptr<LIBSSH2_CHANNEL, Libssh2ChannelDeleter>;

}  // namespace x2gobroker::agent
