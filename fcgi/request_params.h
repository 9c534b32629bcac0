// SPDX-License-Identifier: AGPL-3.0-or-later
// Turns the FastCGI parameters of one request into a core::HttpRequest (without the body).
// The parameters come from the web server, but most values are copied from the client's
// request line and headers, so they are treated as untrusted. Pure and thread-safe.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "core/http.h"
#include "core/status.h"

namespace x2gobroker::fcgi {

// FastCGI parameters, NAME → value, copied out of the FCGX_Request (its storage is freed by
// FCGX_Finish_r).
using FcgiParams = std::map<std::string, std::string, std::less<>>;

struct ParsedRequest {
  core::HttpRequest request;  // body left empty; request_id is always set, even on error
  size_t body_length = 0;     // bytes to read from stdin; <= core::kMaxBodyBytes when error is OK
  core::Status error;         // OK, or InvalidArgument (400) / TooLarge (413): answer without the handler
  std::string public_reason;  // a fixed phrase for the error body
};

// Which parameter the path comes from, in order:
//   DOCUMENT_URI (nginx's $document_uri: already decoded, mount prefix included),
//   SCRIPT_NAME + PATH_INFO (Apache mod_proxy_fcgi, decoded),
//   the path part of REQUEST_URI, percent-decoded here.
// request_id: REQUEST_ID (set by the web server) or HTTP_X_REQUEST_ID if IsValidRequestId,
// else a new random one.
// CONTENT_LENGTH: absent or empty → 0; not all digits → InvalidArgument;
// larger than core::kMaxBodyBytes → TooLarge (the caller must then discard the body unread).
ParsedRequest ParseRequestParams(const FcgiParams& params);

// Percent-decodes a URI path ('+' stays '+'). Fails on a malformed escape or a decoded NUL
// and leaves *out untouched.
bool PercentDecodePath(std::string_view encoded, std::string* out);

}  // namespace x2gobroker::fcgi
