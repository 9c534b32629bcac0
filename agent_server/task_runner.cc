// SPDX-License-Identifier: AGPL-3.0-or-later
#include "agent_server/task_runner.h"

#include <optional>
#include <vector>

#include "agent_server/authorized_keys_edit.h"
#include "agent_server/busy_servers.h"
#include "agent_server/load_metrics.h"
#include "agent_server/x2go_tools.h"
#include "core/string_util.h"

namespace x2gobroker::agent_server {
namespace {

// The status field (5th) of session `sid` in an x2golistsessions listing, or nullopt if the
// listing has no such session (another user's, or none at all).
std::optional<std::string> SessionStatus(const std::string& listing, const std::string& sid) {
  for (const std::string& line : core::Split(listing, '\n')) {
    std::vector<std::string> fields = core::Split(line, '|');
    if (fields.size() >= 5 && fields[1] == sid) return fields[4];
  }
  return std::nullopt;
}

}  // namespace

core::Result<TaskOutput> RunAnonymousTask(ServerTask task) {
  TaskOutput out;
  switch (task) {
    case ServerTask::kPing:
      return out;
    case ServerTask::kAvailableTasks:
      for (const std::string& name : AvailableTaskNames(X2GoServerInstalled())) out.data += name + "\n";
      return out;
    case ServerTask::kCheckLoad: {
      auto texts = ReadProcTexts();
      if (!texts.ok()) return texts.status();
      auto metrics = ComputeLoadMetrics(*texts);
      if (!metrics.ok()) return core::Internal(metrics.status().message());
      out.data = FormatLoadMetrics(*metrics);
      return out;
    }
    default:
      return core::Internal("task needs a user");
  }
}

core::Result<TaskOutput> RunUserTask(ServerTask task, const AgentInvocation& request, const TargetUser& user) {
  TaskOutput out;
  switch (task) {
    case ServerTask::kListSessions:
    case ServerTask::kGetServers:
    case ServerTask::kFindBusyServers: {
      std::vector<std::string> argv = {kX2GoGetServers};
      if (task == ServerTask::kListSessions) argv = {kX2GoListSessions, "--all-servers"};
      auto stdout_text = RunX2GoTool(user, argv, &out.err);
      if (!stdout_text.ok()) return stdout_text.status();
      out.data = task == ServerTask::kFindBusyServers ? FormatBusyServers(ParseServerCounts(*stdout_text))
                                                      : std::move(stdout_text).value();
      return out;
    }
    case ServerTask::kSuspendSession:
    case ServerTask::kTerminateSession: {
      // x2gochangestatus succeeds silently for a session that is not the user's, so the
      // session must be in the user's own listing first, and the change visible afterwards:
      // `OK` means done (§13 row 30).
      const std::string status = task == ServerTask::kSuspendSession ? "S" : "T";
      const std::string& sid = request.args.at(0);
      auto before = RunX2GoTool(user, {kX2GoListSessions, "--all-servers"}, &out.err);
      if (!before.ok()) return before.status();
      if (!SessionStatus(*before, sid)) return core::NotFound("no session " + sid + " of user " + user.name);
      auto changed = RunX2GoTool(user, {kX2GoChangeStatus, status, sid}, &out.err);
      if (!changed.ok()) return changed.status();
      auto after = RunX2GoTool(user, {kX2GoListSessions, "--all-servers"}, &out.err);
      if (!after.ok()) return after.status();
      if (SessionStatus(*after, sid) != std::optional<std::string>(status)) {
        return core::Unavailable("session " + sid + " did not change to status " + status);
      }
      return out;
    }
    case ServerTask::kAddAuthKey:
    case ServerTask::kDelAuthKey: {
      const KeyPathVars vars{user.name, std::to_string(user.uid), std::to_string(user.gid), user.home};
      const std::string path = ExpandKeyFilePath(request.args.at(1), vars);
      const core::Status s = task == ServerTask::kAddAuthKey ? AddAuthorizedKey(user.home, path, request.args.at(0))
                                                             : DelAuthorizedKey(user.home, path, request.args.at(0));
      if (!s.ok()) return s;
      return out;
    }
    default:
      return core::Internal("task needs no user");
  }
}

}  // namespace x2gobroker::agent_server
