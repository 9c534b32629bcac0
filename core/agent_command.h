// SPDX-License-Identifier: AGPL-3.0-or-later
// Agent command lines (PROTOCOL.md §9.3, §9.5): the task names, the validation of every word
// that reaches an X2Go Server, and the single-quoted remote command. The reference spliced
// user names and keys into `sh -c` unquoted (§13 row 4); here hostile input is refused before
// anything is sent, never escaped. Stateless and thread-safe; std only.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/agent_client.h"
#include "core/status.h"

namespace x2gobroker::core {

// The user the reference passes for tasks that need none (ping, checkload, ...): the agent
// insists on a USER word but ignores it for these tasks (§9.2).
inline constexpr const char* kAgentPlaceholderUser = "foo";

// The agent's task word, e.g. "listsessions". Never null.
const char* AgentTaskName(AgentTask task);
// The inverse of AgentTaskName; nullopt for anything outside the closed set of §9.3.
std::optional<AgentTask> AgentTaskFromName(std::string_view name);

// ^[a-z_][a-z0-9_.-]{0,31}\$?$ (§9.5).
bool IsValidAgentUser(std::string_view user);
// ^[A-Za-z0-9_.-]+-[0-9]{2,4}-[0-9]{10,}_st[DRS][A-Za-z0-9_.-]*_dp[0-9]+$ (§9.5).
bool IsValidSessionId(std::string_view sid);
// ^[A-Za-z0-9%/._-]+$ (§9.5, the authorized_keys path of addauthkey/delauthkey).
bool IsValidAuthorizedKeysPath(std::string_view path);

// The agent's argument vector {user, task, args...} for `task`.
// On success every word is safe inside single quotes and as an argv entry.
// InvalidArgument (with a short reason, the value itself is not echoed) if the user is invalid,
// the number of args does not fit the task (0; addauthkey/delauthkey: key line and
// authorized_keys path; suspendsession/terminatesession: session id), any argument holds
// ' ; ! \ ` $ or a control character (CR, LF, NUL, ...), the key line is empty or not
// printable ASCII, the path or the session id does not match its pattern.
Result<std::vector<std::string>> AgentArguments(AgentTask task, const std::string& user,
                                                const std::vector<std::string>& args);

// `<agent_cmd> 'w1' 'w2' ...`: the exec request sent over SSH, no `sh -c` (§9.2 explains why the
// real agent accepts this form). REQUIRES: `arguments` come from AgentArguments (no quote inside).
std::string RemoteAgentCommand(const std::string& agent_cmd, const std::vector<std::string>& arguments);

}  // namespace x2gobroker::core
