// SPDX-License-Identifier: AGPL-3.0-or-later
// Reads a request body from a FastCGI stdin stream, behind a small reader function so that the
// limits can be tested without libfcgi. Thread-safe (no shared state).
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "core/status.h"

namespace x2gobroker::fcgi {

// Copies up to `size` bytes into `buffer`; returns the number copied, 0 at end of stream.
// (FCGX_GetStr's contract: fewer bytes than asked only at the end of the stream.)
using StreamReader = std::function<size_t(char* buffer, size_t size)>;

// Reads exactly `length` bytes. REQUIRES: length <= core::kMaxBodyBytes (checked by the caller
// before anything is allocated). A stream that ends early → InvalidArgument (the client sent
// less than its Content-Length).
core::Result<std::string> ReadBody(size_t length, const StreamReader& read);

// Reads and throws away the rest of the stream, at most `limit` bytes, in a fixed-size buffer.
// Returns true if the end was reached: the connection is then clean for the next request.
bool DiscardBody(size_t limit, const StreamReader& read);

}  // namespace x2gobroker::fcgi
