// SPDX-License-Identifier: AGPL-3.0-or-later
#include "agent_server/error_reply.h"

namespace x2gobroker::agent_server {
namespace {
constexpr size_t kMaxErrorText = 200;
}  // namespace

int ErrorCode(core::StatusCode code) {
  switch (code) {
    case core::StatusCode::kInvalidArgument: return 400;
    case core::StatusCode::kUnauthenticated: return 401;
    case core::StatusCode::kPermissionDenied: return 403;
    case core::StatusCode::kNotFound: return 404;
    case core::StatusCode::kTooLarge: return 413;
    case core::StatusCode::kUnavailable: return 503;
    case core::StatusCode::kDeadlineExceeded: return 504;
    default: return 500;
  }
}

std::string ErrorLine(const core::Status& status) {
  std::string text;
  for (char c : status.message()) {
    if (text.size() >= kMaxErrorText) break;
    text.push_back(c >= 0x20 && c < 0x7f ? c : '?');
  }
  if (text.empty()) text = "failed";
  return "ERROR " + std::to_string(ErrorCode(status.code())) + " " + text + "\n";
}

}  // namespace x2gobroker::agent_server
