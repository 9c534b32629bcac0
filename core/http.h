// SPDX-License-Identifier: AGPL-3.0-or-later
// The HTTP request and response as the core sees them: owned copies, independent of the
// transport (FastCGI here, the SSH CLI later). Plain data, no behaviour.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace x2gobroker::core {

struct HttpRequest {
  std::string method;        // "GET", "POST", "HEAD", ...
  std::string path;          // request path, percent-decoded, mount prefix included ("/x2gobroker/plain/inifile/")
  std::string query;         // raw query string without '?'
  std::string content_type;  // may be empty
  std::string body;          // at most kMaxBodyBytes (the transport enforces the cap)
  std::string remote_addr;   // FastCGI REMOTE_ADDR; may be empty
  std::string authorization; // raw Authorization header, may be empty
  std::string request_id;    // for log lines
  // True only for the SSH command-line frontend (cli/, PROTOCOL.md §8.2): OpenSSH has already
  // authenticated the user, so the password step of check_access (§4.1 step 7) succeeds
  // without asking the auth mechanism. AUTHIDs are still issued and validated as usual.
  // The FastCGI frontend never sets it (nothing on the wire can); default false.
  bool preauthenticated = false;
};

// Largest request body we read; larger bodies are answered 413 by the transport.
inline constexpr size_t kMaxBodyBytes = 64 * 1024;

struct HttpResponse {
  // OK → 200 with the fields below. Otherwise the transport maps the code to an HTTP status
  // (fcgi/http_status.cc), logs error.message() and sends a generic body; `public_reason`
  // (a fixed, input-free phrase such as "malformed percent-escape") may be shown to the client.
  Status error;
  std::string public_reason;
  std::string content_type;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers (Allow, WWW-Authenticate, ...)

  // What the access log shows; filled by the handler when known.
  std::string log_user;
  std::string log_task;
};

inline HttpResponse ErrorResponse(Status error, std::string public_reason = {}) {
  HttpResponse r;
  r.error = std::move(error);
  r.public_reason = std::move(public_reason);
  return r;
}

// A RequestHandler answers broker requests. Implementations are immutable snapshots of the
// configuration: shared by all worker threads, so they must be thread-safe.
class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  // Answers one request. Never throws; every problem is an error response.
  virtual HttpResponse Handle(const HttpRequest& request) const = 0;
  // Files whose modification on disk should trigger a reload (the profile files).
  virtual std::vector<std::string> WatchedFiles() const = 0;
  // Background work that is due (removing temporary autologin keys). Called about once a
  // second from one thread per serving process; must not block for long.
  virtual void Maintain() const {}
};

}  // namespace x2gobroker::core
