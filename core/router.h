// SPDX-License-Identifier: AGPL-3.0-or-later
// Router maps a request path to a broker route (PROTOCOL.md §1.2). The broker may be mounted
// under a prefix (`/x2gobroker/plain/...` behind a `location /x2gobroker/`): everything before
// the first `plain`, `json`, `uccs` or `pubkeys` segment is taken as the mount prefix, so no
// web-server-specific parameter is needed. `/metrics` (also `/<prefix>/metrics`, one prefix
// segment) is the Prometheus exposition; the broker answers it to loopback clients only.
// Pure, thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace x2gobroker::core {

struct Route {
  enum class Kind { kNotFound, kRoot, kPlain, kJson, kUccsPing, kUccsApi, kPubkeys, kMetrics };
  Kind kind = Kind::kNotFound;
  std::string backend;  // plain/json/uccs api: the backend segment ("" = default backend)
  int api_version = 0;  // uccs api: the digit
};

// `path` is percent-decoded, without the query string.
Route ParseRoute(std::string_view path);

}  // namespace x2gobroker::core
