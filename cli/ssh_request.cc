// SPDX-License-Identifier: AGPL-3.0-or-later
#include "cli/ssh_request.h"

namespace x2gobroker::cli {
namespace {

bool IsUnreserved(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         c == '.' || c == '~';
}

void AddField(std::string_view name, std::string_view value, std::string* body) {
  if (!body->empty()) *body += '&';
  *body += name;
  *body += '=';
  *body += FormEncode(value);
}

std::string Describe(const SshBrokerCall& call) {
  return "task " + core::Printable(call.task) + " of user " + core::Printable(call.user) + " from " +
         call.client_address;
}

}  // namespace

std::string FormEncode(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size());
  for (unsigned char c : value) {
    if (IsUnreserved(c)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0x0f];
    }
  }
  return out;
}

core::HttpRequest MakePlainRequest(const SshBrokerCall& call) {
  core::HttpRequest request;
  request.method = "POST";
  request.path = "/plain/" + call.backend + "/";
  request.content_type = "application/x-www-form-urlencoded";
  AddField("task", call.task, &request.body);
  AddField("user", call.user, &request.body);
  if (call.login) AddField("login", *call.login, &request.body);
  if (call.authid) AddField("authid", *call.authid, &request.body);
  if (call.profile_id) AddField("sid", *call.profile_id, &request.body);
  request.remote_addr = call.client_address;
  request.request_id = "ssh";
  request.preauthenticated = true;
  return request;
}

CliOutcome RenderOutcome(const core::HttpResponse& response, const SshBrokerCall& call) {
  CliOutcome outcome;
  switch (response.error.code()) {
    case core::StatusCode::kOk:
      outcome.out = response.body + "\n";
      return outcome;
    case core::StatusCode::kUnauthenticated:
    case core::StatusCode::kPermissionDenied:
      outcome.log = std::make_pair(core::LogLevel::kWarning,
                                   Describe(call) + ": access denied (" + response.error.message() + ")");
      return outcome;
    default:
      outcome.exit_code = 1;
      outcome.log = std::make_pair(core::LogLevel::kError, Describe(call) + ": " + response.error.message());
      return outcome;
  }
}

}  // namespace x2gobroker::cli
