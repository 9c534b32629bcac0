// SPDX-License-Identifier: AGPL-3.0-or-later
// Serialises a core::HttpResponse as a FastCGI responder's CGI output ("Status:" header,
// headers, blank line, body). Success and error shapes follow PROTOCOL.md §1.3: a success has
// Content-Type, the literal "Expires: +1h" and Content-Length; an error gets Tornado's HTML page,
// except 400 and 413 which get one text/plain line. error.message() never reaches the output.
// Pure and thread-safe.
#pragma once

#include <string>

#include "core/http.h"

namespace x2gobroker::fcgi {

struct RenderedResponse {
  int status = 500;          // HTTP status, for the access log
  std::string bytes;         // what goes to FCGX's stdout stream
  int dropped_headers = 0;   // extra headers refused (CR/LF, bad name, or a header we own)
};

// `head_only`: answer a HEAD request: same headers (Content-Length included), no body.
RenderedResponse RenderResponse(const core::HttpResponse& response, bool head_only);

}  // namespace x2gobroker::fcgi
