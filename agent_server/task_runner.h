// SPDX-License-Identifier: AGPL-3.0-or-later
// Carries out one task of §9.3 and returns what follows `OK`, so that the caller prints `OK`
// only once the action has succeeded (§13 row 30). Nothing is printed here.
#pragma once

#include <string>

#include "agent_server/command_line.h"
#include "agent_server/privilege_drop.h"
#include "agent_server/server_task.h"
#include "core/status.h"

namespace x2gobroker::agent_server {

struct TaskOutput {
  std::string data;  // printed after "OK\n", as is
  std::string err;   // the tool's stderr, copied to our stderr (as the Debian agent does)
};

// ping, availabletasks, checkload. REQUIRES: !TaskNeedsUser(task).
core::Result<TaskOutput> RunAnonymousTask(ServerTask task);

// Every other task, for `user`. REQUIRES: ValidateArguments passed and the process has
// dropped to `user` (DropTo).
// listsessions: x2golistsessions --all-servers, stdout as is. getservers: x2gogetservers, as
// is. findbusyservers: from x2gogetservers (busy_servers.h). suspendsession/terminatesession:
// x2gochangestatus S|T <sid>, no data. addauthkey/delauthkey: authorized_keys_edit.h, no data.
core::Result<TaskOutput> RunUserTask(ServerTask task, const AgentInvocation& request, const TargetUser& user);

}  // namespace x2gobroker::agent_server
