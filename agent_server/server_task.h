// SPDX-License-Identifier: AGPL-3.0-or-later
// The closed set of tasks the server-side agent serves (PROTOCOL.md §9.3) and the checks of
// their arguments: the same patterns the broker applies before sending (core/agent_command.h),
// applied again here because the sender is not trusted. Pure, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace x2gobroker::agent_server {

enum class ServerTask {
  kPing,
  kAvailableTasks,
  kListSessions,
  kGetServers,
  kFindBusyServers,  // also findbusyservers_by_sessionstats (identical, §9.3)
  kCheckLoad,
  kAddAuthKey,
  kDelAuthKey,
  kSuspendSession,
  kTerminateSession,
};

// nullopt for any word outside §9.3.
std::optional<ServerTask> ServerTaskFromName(std::string_view name);

// Tasks that act for USER (need an existing user with uid >= min-uid and a privilege drop to
// it). ping, availabletasks and checkload do not: the broker passes the placeholder `foo`.
bool TaskNeedsUser(ServerTask task);

// The task words `availabletasks` prints: the first three always, the rest only when the
// x2goserver tools are installed (`with_x2goserver`), in the reference's order.
std::vector<std::string> AvailableTaskNames(bool with_x2goserver);

// Checks USER (core::IsValidAgentUser, for every task) and the arguments: none for most
// tasks; a session id (core::IsValidSessionId) for suspend/terminate; a key line
// (ValidateKeyLine) and an authorized_keys path pattern (core::IsValidAuthorizedKeysPath) for
// add/delauthkey. InvalidArgument with a reason that does not echo the value.
core::Status ValidateArguments(ServerTask task, const std::string& user, const std::vector<std::string>& args);

// An authorized_keys line as the brokers send it: at most core::kMaxClientKeyBytes, printable
// ASCII only (no control characters), and a key that core::ParseClientPublicKey accepts (an
// options prefix is allowed and kept as is).
core::Status ValidateKeyLine(std::string_view line);

}  // namespace x2gobroker::agent_server
