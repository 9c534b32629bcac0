// SPDX-License-Identifier: AGPL-3.0-or-later
// The UCCS API (PROTOCOL.md §7) for Arctica Greeter's remote logon: GET
// /uccs/<backend>/api/<4|5> with HTTP Basic credentials (or anonymous when the broker requires
// none) answers a JSON document listing the user's remote desktop servers. Fixed on purpose
// (§13 rows 20, 21): Basic credentials are decoded properly and checked with the backend's own
// mechanism; API versions other than 4 and 5 are 404.
#pragma once

#include <string>

#include "core/broker_frontends.h"

namespace x2gobroker::core {

struct UccsRequest {
  const HttpRequest& http;
  const IpAddress* client;
  const std::string& backend_name;  // resolved (default backend applied)
  const std::string& url_backend;   // as written in the URL (used in the document's URL)
  int api_version;                  // 4 or 5
};

HttpResponse HandleUccsRequest(const UccsRequest& request, const FrontendServices& services);

}  // namespace x2gobroker::core
