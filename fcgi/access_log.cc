// SPDX-License-Identifier: AGPL-3.0-or-later
#include "fcgi/access_log.h"

#include <cstdio>

namespace x2gobroker::fcgi {
namespace {

// Escapes the quote and the backslash so that a field cannot fake the end of its quotes;
// core::Log makes control characters printable.
std::string Quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string OrDash(const std::string& text) { return text.empty() ? "-" : text; }

}  // namespace

std::string FormatAccessLine(const core::HttpRequest& request, const core::HttpResponse& response, int status,
                             double duration_ms) {
  char duration[32];
  snprintf(duration, sizeof duration, "%.1fms", duration_ms);
  std::string line = OrDash(request.request_id) + " " + OrDash(request.remote_addr) + " " +
                     Quoted(OrDash(request.method) + " " + OrDash(request.path)) + " " + std::to_string(status) +
                     " " + duration + " user=" + Quoted(response.log_user) + " task=" + Quoted(response.log_task);
  if (!response.error.ok()) line += " error=" + Quoted(response.error.message());
  return line;
}

}  // namespace x2gobroker::fcgi
