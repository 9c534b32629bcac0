// SPDX-License-Identifier: AGPL-3.0-or-later
// Request ids tie the access log line, error lines and the web server's own log together.
// Thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace x2gobroker::fcgi {

// True for 8 to 32 lower-case hex digits (nginx's $request_id is 32). Anything else coming
// from the web server or a client header is ignored rather than logged.
bool IsValidRequestId(std::string_view id);

// A fresh random id of 16 lower-case hex digits.
std::string NewRequestId();

}  // namespace x2gobroker::fcgi
