// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/router.h"

#include <algorithm>
#include <array>

namespace x2gobroker::core {
namespace {

bool IsLetters(std::string_view s) {
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return false;
  }
  return true;
}

// The backend of `/plain/<rest>`: trailing '/' stripped, text before the first '/'.
std::string BackendOf(std::string_view rest) {
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  return std::string(rest.substr(0, rest.find('/')));
}

Route Match(std::string_view rest) {
  Route route;
  if (rest.substr(0, 7) == "/plain/") {
    route.kind = Route::Kind::kPlain;
    route.backend = BackendOf(rest.substr(7));
  } else if (rest.substr(0, 6) == "/json/") {
    route.kind = Route::Kind::kJson;
    route.backend = BackendOf(rest.substr(6));
  } else if (rest == "/pubkeys" || rest == "/pubkeys/") {
    route.kind = Route::Kind::kPubkeys;
  } else if (rest.substr(0, 6) == "/uccs/") {
    std::string_view tail = rest.substr(6);
    // /uccs/[a-zA-Z]*(/*)$ → ping
    size_t letters = 0;
    while (letters < tail.size() && IsLetters(tail.substr(letters, 1))) ++letters;
    std::string_view after = tail.substr(letters);
    if (after.find_first_not_of('/') == std::string_view::npos) {
      route.kind = Route::Kind::kUccsPing;
      return route;
    }
    // /uccs/<backend>/api/<d> with optional trailing slashes
    std::string_view backend = tail.substr(0, letters);
    if (after.substr(0, 5) == "/api/" && after.size() >= 6 && after[5] >= '0' && after[5] <= '9' &&
        after.substr(6).find_first_not_of('/') == std::string_view::npos) {
      route.kind = Route::Kind::kUccsApi;
      route.backend = std::string(backend);
      route.api_version = after[5] - '0';
    }
  }
  return route;
}

}  // namespace

Route ParseRoute(std::string_view path) {
  if (path == "/" || path.empty()) return Route{Route::Kind::kRoot, "", 0};
  static constexpr std::array<std::string_view, 4> kSegments = {"/plain", "/json", "/uccs", "/pubkeys"};
  // The first known segment starts the route; what precedes it is the mount prefix.
  size_t best = std::string_view::npos;
  for (std::string_view segment : kSegments) {
    size_t at = 0;
    while ((at = path.find(segment, at)) != std::string_view::npos) {
      size_t end = at + segment.size();
      if (end == path.size() || path[end] == '/') {
        best = std::min(best, at);
        break;
      }
      at = end;
    }
  }
  if (best == std::string_view::npos) {
    // `/<prefix>/` alone is the mount point's root page.
    std::string_view inner = path.substr(1);
    if (!inner.empty() && inner.back() == '/' && inner.find('/') == inner.size() - 1) return Route{Route::Kind::kRoot, "", 0};
    constexpr std::string_view kMetrics = "/metrics";
    if (path.ends_with(kMetrics)) {
      std::string_view prefix = path.substr(0, path.size() - kMetrics.size());
      if (prefix.empty() || (prefix.size() > 1 && prefix.find('/', 1) == std::string_view::npos)) {
        return Route{Route::Kind::kMetrics, "", 0};
      }
    }
    return Route{};
  }
  return Match(path.substr(best));
}

}  // namespace x2gobroker::core
