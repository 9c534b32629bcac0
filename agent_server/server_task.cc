// SPDX-License-Identifier: AGPL-3.0-or-later
#include "agent_server/server_task.h"

#include "core/agent_command.h"
#include "core/ssh_public_key.h"

namespace x2gobroker::agent_server {
namespace {

struct TaskName {
  const char* name;
  ServerTask task;
};
constexpr TaskName kTaskNames[] = {
    {"ping", ServerTask::kPing},
    {"availabletasks", ServerTask::kAvailableTasks},
    {"listsessions", ServerTask::kListSessions},
    {"getservers", ServerTask::kGetServers},
    {"findbusyservers", ServerTask::kFindBusyServers},
    {"findbusyservers_by_sessionstats", ServerTask::kFindBusyServers},
    {"checkload", ServerTask::kCheckLoad},
    {"addauthkey", ServerTask::kAddAuthKey},
    {"delauthkey", ServerTask::kDelAuthKey},
    {"suspendsession", ServerTask::kSuspendSession},
    {"terminatesession", ServerTask::kTerminateSession},
};

}  // namespace

std::optional<ServerTask> ServerTaskFromName(std::string_view name) {
  for (const TaskName& t : kTaskNames) {
    if (name == t.name) return t.task;
  }
  return std::nullopt;
}

bool TaskNeedsUser(ServerTask task) {
  return task != ServerTask::kPing && task != ServerTask::kAvailableTasks && task != ServerTask::kCheckLoad;
}

std::vector<std::string> AvailableTaskNames(bool with_x2goserver) {
  std::vector<std::string> names = {"availabletasks", "addauthkey", "delauthkey"};
  if (with_x2goserver) {
    for (const char* n : {"listsessions", "findbusyservers", "findbusyservers_by_sessionstats", "checkload",
                          "getservers", "suspendsession", "terminatesession"}) {
      names.emplace_back(n);
    }
  }
  return names;
}

core::Status ValidateKeyLine(std::string_view line) {
  if (line.empty() || line.size() > core::kMaxClientKeyBytes) return core::InvalidArgument("bad key line length");
  for (char c : line) {
    if (c < 0x20 || c >= 0x7f) return core::InvalidArgument("control or non-ASCII character in the key line");
  }
  auto key = core::ParseClientPublicKey(line);
  if (!key.ok()) return core::InvalidArgument("not a valid public key line");
  return core::Status::Ok();
}

core::Status ValidateArguments(ServerTask task, const std::string& user, const std::vector<std::string>& args) {
  if (!core::IsValidAgentUser(user)) return core::InvalidArgument("invalid user name");
  switch (task) {
    case ServerTask::kSuspendSession:
    case ServerTask::kTerminateSession:
      if (args.size() != 1) return core::InvalidArgument("expected one session id");
      if (!core::IsValidSessionId(args[0])) return core::InvalidArgument("invalid session id");
      return core::Status::Ok();
    case ServerTask::kAddAuthKey:
    case ServerTask::kDelAuthKey:
      if (args.size() != 2) return core::InvalidArgument("expected a key line and an authorized_keys path");
      if (core::Status s = ValidateKeyLine(args[0]); !s.ok()) return s;
      if (!core::IsValidAuthorizedKeysPath(args[1])) return core::InvalidArgument("invalid authorized_keys path");
      return core::Status::Ok();
    default:
      if (!args.empty()) return core::InvalidArgument("this task takes no arguments");
      return core::Status::Ok();
  }
}

}  // namespace x2gobroker::agent_server
