// SPDX-License-Identifier: AGPL-3.0-or-later
// Downloads one small document over HTTPS with libcurl (x2gobroker-pubkeyauthorizer: the
// broker's /pubkeys/). TLS is verified, redirects are not followed, time-outs and a size cap
// apply. REQUIRES: curl_global_init was called (once, before any thread). Thread-safe.
#pragma once

#include <cstddef>
#include <string>

#include "core/status.h"

namespace x2gobroker::tools {

struct FetchOptions {
  std::string ca_file;      // PEM bundle to verify the server with; "" = the system's CAs
  bool allow_http = false;  // plain http:// (tests only: the keys could be swapped on the way)
  long connect_timeout_ms = 5000;
  long timeout_ms = 20000;
  size_t max_bytes = 64 * 1024;
};

// GET `url`. OK with the body iff the answer is HTTP 200. InvalidArgument for a URL that is
// not https:// (or http:// with allow_http); Unavailable for connection, TLS or HTTP errors
// (message names the URL and the cause); TooLarge past max_bytes; DeadlineExceeded on time-out.
core::Result<std::string> FetchUrl(const std::string& url, const FetchOptions& options);

}  // namespace x2gobroker::tools
