// SPDX-License-Identifier: AGPL-3.0-or-later
#include "fcgi/cgi_response.h"

#include <array>
#include <string_view>

#include "core/string_util.h"
#include "fcgi/http_status.h"

namespace x2gobroker::fcgi {
namespace {

constexpr std::string_view kHtmlType = "text/html; charset=UTF-8";
constexpr std::string_view kTextType = "text/plain; charset=utf-8";

bool IsTokenChar(unsigned char c) {
  if (c >= '0' && c <= '9') return true;
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

bool IsValidName(std::string_view name) {
  if (name.empty()) return false;
  for (unsigned char c : name) {
    if (!IsTokenChar(c)) return false;
  }
  return true;
}

// A value must not be able to start a new header line (response splitting).
bool IsValidValue(std::string_view value) {
  for (unsigned char c : value) {
    if (c == '\r' || c == '\n' || c == '\0') return false;
  }
  return true;
}

// Headers this file writes itself; a handler may not duplicate or override them.
bool IsOwnedHeader(std::string_view name) {
  static constexpr std::array<std::string_view, 4> kOwned = {"status", "content-type", "content-length",
                                                             "expires"};
  std::string lower = core::ToLower(name);
  for (std::string_view owned : kOwned) {
    if (lower == owned) return true;
  }
  return false;
}

void AddHeader(std::string* out, std::string_view name, std::string_view value) {
  out->append(name);
  out->append(": ");
  out->append(value);
  out->append("\r\n");
}

std::string ErrorBody(int status, const std::string& public_reason, std::string_view* type) {
  std::string title = std::to_string(status) + ": " + std::string(ReasonPhrase(status));
  if (status == 400 || status == 413) {
    // One line a human (or curl) can read; public_reason is a fixed, input-free phrase.
    *type = kTextType;
    std::string body = title;
    if (!public_reason.empty() && IsValidValue(public_reason)) body += ": " + public_reason;
    return body + "\n";
  }
  *type = kHtmlType;
  return "<html><title>" + title + "</title><body>" + title + "</body></html>";
}

}  // namespace

RenderedResponse RenderResponse(const core::HttpResponse& response, bool head_only) {
  RenderedResponse out;
  out.status = HttpStatusFor(response.error);
  const bool ok = response.error.ok();

  std::string_view type;
  std::string error_body;
  if (ok) {
    type = response.content_type.empty() || !IsValidValue(response.content_type)
               ? kHtmlType  // Tornado's default when a handler sets none
               : std::string_view(response.content_type);
  } else {
    error_body = ErrorBody(out.status, response.public_reason, &type);
  }
  const std::string& body = ok ? response.body : error_body;

  std::string& bytes = out.bytes;
  bytes.reserve(256 + (head_only ? 0 : body.size()));
  AddHeader(&bytes, "Status", std::to_string(out.status) + " " + std::string(ReasonPhrase(out.status)));
  AddHeader(&bytes, "Content-Type", type);
  // The reference sends this literal (not a date) on every success; kept for byte-compatibility.
  if (ok) AddHeader(&bytes, "Expires", "+1h");
  AddHeader(&bytes, "Content-Length", std::to_string(body.size()));
  for (const auto& [name, value] : response.headers) {
    if (!IsValidName(name) || !IsValidValue(value) || IsOwnedHeader(name)) {
      ++out.dropped_headers;
      continue;
    }
    AddHeader(&bytes, name, value);
  }
  bytes.append("\r\n");
  if (!head_only) bytes.append(body);
  return out;
}

}  // namespace x2gobroker::fcgi
