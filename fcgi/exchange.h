// SPDX-License-Identifier: AGPL-3.0-or-later
// One request/response exchange, independent of libfcgi so that it can be tested: parameters
// and a stdin reader in, the rendered CGI response out. The worker pool supplies the FCGX
// streams and writes the result. Thread-safe if the handler is.
#pragma once

#include <cstddef>

#include "core/http.h"
#include "fcgi/body_reader.h"
#include "fcgi/cgi_response.h"
#include "fcgi/request_params.h"

namespace x2gobroker::fcgi {

// Most we read and discard of a body we do not want (too large, malformed request) so that the
// web server can finish sending it and still read our answer. Beyond this the connection is
// closed instead; web servers cap bodies far below (nginx/x2gobroker.conf: 64k).
inline constexpr size_t kMaxDiscardBytes = 16 * 1024 * 1024;

struct Exchange {
  core::HttpRequest request;     // as converted (request_id always set)
  core::HttpResponse response;   // as answered (by the handler or by the transport)
  RenderedResponse rendered;
  bool connection_clean = true;  // stdin consumed to its end: a kept-alive connection may be reused
};

// Converts the parameters, reads the body (checking CONTENT_LENGTH before reading anything),
// calls handler.Handle and renders the answer. Bad parameters are answered 400/413 without
// calling the handler; an exception escaping Handle is answered 500 and its text logged only.
Exchange Answer(const FcgiParams& params, const StreamReader& read_stdin, const core::RequestHandler& handler);

}  // namespace x2gobroker::fcgi
