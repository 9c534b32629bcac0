// SPDX-License-Identifier: AGPL-3.0-or-later
// TcpConnect: a TCP connection to an X2Go Server with a time-out (the reference had none after
// its probe, §13 row 23). Thread-safe.
#pragma once

#include <string>

#include "agent/deadline.h"
#include "core/status.h"
#include "core/unique_fd.h"

namespace x2gobroker::agent {

// Resolves `address` (numeric IPv4/IPv6 or a name; brackets around IPv6 are accepted) and
// connects to each resolved address in turn until one answers or `deadline` passes.
// On success returns a connected, non-blocking, close-on-exec socket.
// Unavailable if resolution fails or every address refuses; DeadlineExceeded on time-out.
core::Result<core::UniqueFd> TcpConnect(const std::string& address, int port, const Deadline& deadline);

}  // namespace x2gobroker::agent
