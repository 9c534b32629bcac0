// SPDX-License-Identifier: AGPL-3.0-or-later
// The x2goserver programs the per-user tasks run (the same ones the Debian agent runs, §9.3),
// by absolute path, with an argv and a clean environment, never through a shell. The caller
// has already dropped to the target user (privilege_drop.h), so they run as that user.
#pragma once

#include <string>
#include <vector>

#include "agent_server/privilege_drop.h"
#include "core/status.h"

namespace x2gobroker::agent_server {

inline constexpr const char* kX2GoListSessions = "/usr/bin/x2golistsessions";
inline constexpr const char* kX2GoGetServers = "/usr/bin/x2gogetservers";
// `x2gopath lib` on Debian is /usr/lib/x2go.
inline constexpr const char* kX2GoChangeStatus = "/usr/lib/x2go/x2gochangestatus";

// True if the three programs above exist and are executable (for `availabletasks`).
bool X2GoServerInstalled();

// Runs `argv` (argv[0] absolute) with PATH=/usr/bin:/bin, HOME, USER and LOGNAME of `user`,
// stdin /dev/null, a 30 s time-out and 4 MiB of output per stream. On success returns its
// stdout; its stderr is copied to *err. Unavailable if it cannot start or exits non-zero
// (the message names the program, its status and the first line of its stderr),
// DeadlineExceeded on time-out.
core::Result<std::string> RunX2GoTool(const TargetUser& user, const std::vector<std::string>& argv, std::string* err);

}  // namespace x2gobroker::agent_server
