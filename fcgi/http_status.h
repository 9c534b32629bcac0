// SPDX-License-Identifier: AGPL-3.0-or-later
// The only mapping from core::Status to an HTTP status code (STYLE.md "From error to HTTP
// status"). Pure functions, thread-safe.
#pragma once

#include <string_view>

#include "core/status.h"

namespace x2gobroker::fcgi {

// 200 for OK; InvalidArgument 400, Unauthenticated 401, PermissionDenied 403, NotFound 404,
// MethodNotAllowed 405, TooLarge 413, Unavailable 503, DeadlineExceeded 504, anything else 500.
int HttpStatusFor(const core::Status& status);

// The reason phrase Tornado (Python's http.HTTPStatus of the reference's era) uses for `code`,
// e.g. "Unauthorized"; "Unknown" for codes this broker never sends.
std::string_view ReasonPhrase(int code);

}  // namespace x2gobroker::fcgi
