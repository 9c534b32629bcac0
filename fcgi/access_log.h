// SPDX-License-Identifier: AGPL-3.0-or-later
// The access log line written once per request. Pure and thread-safe.
#pragma once

#include <string>

#include "core/http.h"

namespace x2gobroker::fcgi {

// `<request id> <client> "<METHOD> <path>" <status> <ms>ms user="<log_user>" task="<log_task>"`,
// then ` error="<message>"` for a failed request. Only the fields above: never the query, the
// body or the Authorization header, which may hold passwords or cookies.
std::string FormatAccessLine(const core::HttpRequest& request, const core::HttpResponse& response, int status,
                             double duration_ms);

}  // namespace x2gobroker::fcgi
