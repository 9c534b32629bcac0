// SPDX-License-Identifier: AGPL-3.0-or-later
#include "fcgi/request_params.h"

#include <limits>

#include "fcgi/request_id.h"

namespace x2gobroker::fcgi {
namespace {

// Empty when the parameter is absent: CGI treats an empty and a missing variable alike.
std::string_view Param(const FcgiParams& params, std::string_view name) {
  auto it = params.find(name);
  return it == params.end() ? std::string_view() : std::string_view(it->second);
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsValidMethod(std::string_view method) {
  // Methods are upper-case tokens; 16 covers every registered one with room to spare.
  if (method.empty() || method.size() > 16) return false;
  for (char c : method) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

std::string RequestIdFrom(const FcgiParams& params) {
  for (std::string_view name : {"REQUEST_ID", "HTTP_X_REQUEST_ID"}) {
    std::string_view id = Param(params, name);
    if (IsValidRequestId(id)) return std::string(id);
  }
  return NewRequestId();
}

// The request path, see the header for the order. Returns false with a public reason.
bool PathFrom(const FcgiParams& params, std::string* path, std::string* reason) {
  std::string candidate(Param(params, "DOCUMENT_URI"));
  if (candidate.empty()) candidate = std::string(Param(params, "SCRIPT_NAME")) + std::string(Param(params, "PATH_INFO"));
  if (candidate.empty()) {
    std::string_view uri = Param(params, "REQUEST_URI");
    uri = uri.substr(0, uri.find('?'));
    if (!PercentDecodePath(uri, &candidate)) {
      *reason = "malformed percent-escape in path";
      return false;
    }
  }
  if (candidate.empty() || candidate.front() != '/' || candidate.find('\0') != std::string::npos) {
    *reason = "bad request path";
    return false;
  }
  *path = std::move(candidate);
  return true;
}

// Sets *length, or returns the error for a CONTENT_LENGTH that is not a plain decimal number
// (400) or larger than the cap (413). Parsing stops growing the value at the cap, so any number
// of digits is handled without overflow.
core::Status BodyLengthFrom(std::string_view text, size_t* length, std::string* reason) {
  size_t value = 0;
  bool too_large = false;
  for (char c : text) {
    if (c < '0' || c > '9') {
      *reason = "malformed Content-Length";
      return core::InvalidArgument("CONTENT_LENGTH is not a decimal number");
    }
    if (!too_large) {
      value = value * 10 + static_cast<size_t>(c - '0');
      too_large = value > core::kMaxBodyBytes;
    }
  }
  if (too_large) {
    *reason = "request body larger than " + std::to_string(core::kMaxBodyBytes) + " bytes";
    return core::TooLarge("CONTENT_LENGTH " + std::string(text.substr(0, 24)) + " exceeds the body limit");
  }
  *length = value;
  return core::Status::Ok();
}

}  // namespace

bool PercentDecodePath(std::string_view encoded, std::string* out) {
  std::string decoded;
  decoded.reserve(encoded.size());
  for (size_t i = 0; i < encoded.size(); ++i) {
    char c = encoded[i];
    if (c == '%') {
      if (i + 2 >= encoded.size()) return false;  // needs two more characters
      int high = HexValue(encoded[i + 1]);
      int low = HexValue(encoded[i + 2]);
      if (high < 0 || low < 0) return false;
      c = static_cast<char>(high * 16 + low);
      i += 2;
    }
    if (c == '\0') return false;
    decoded += c;
  }
  *out = std::move(decoded);
  return true;
}

ParsedRequest ParseRequestParams(const FcgiParams& params) {
  ParsedRequest parsed;
  core::HttpRequest& request = parsed.request;
  request.request_id = RequestIdFrom(params);
  request.remote_addr = std::string(Param(params, "REMOTE_ADDR"));
  request.method = std::string(Param(params, "REQUEST_METHOD"));
  if (!IsValidMethod(request.method)) {
    parsed.public_reason = "bad request method";
    parsed.error = core::InvalidArgument("REQUEST_METHOD missing or malformed");
    return parsed;
  }
  if (!PathFrom(params, &request.path, &parsed.public_reason)) {
    parsed.error = core::InvalidArgument("request path: " + parsed.public_reason);
    return parsed;
  }
  request.query = std::string(Param(params, "QUERY_STRING"));
  request.content_type = std::string(Param(params, "CONTENT_TYPE"));
  request.authorization = std::string(Param(params, "HTTP_AUTHORIZATION"));
  parsed.error = BodyLengthFrom(Param(params, "CONTENT_LENGTH"), &parsed.body_length, &parsed.public_reason);
  return parsed;
}

}  // namespace x2gobroker::fcgi
