// SPDX-License-Identifier: AGPL-3.0-or-later
// The one-line failure answer on stdout: `ERROR <code> <text>\n`. <code> is a number in the
// HTTP style the rest of the project uses (400 bad request, 403 refused, 404 no such user,
// 413 too large, 503 tool failed or missing, 504 time-out, 500 anything else); <text> is the
// status message reduced to printable ASCII, at most 200 characters, never a line break.
// A broker that only looks for a leading `OK` (the reference) sees a failure.
#pragma once

#include <string>

#include "core/status.h"

namespace x2gobroker::agent_server {

int ErrorCode(core::StatusCode code);
// REQUIRES: !status.ok().
std::string ErrorLine(const core::Status& status);

}  // namespace x2gobroker::agent_server
