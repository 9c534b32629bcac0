// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/agent_command.h"

#include <array>
#include <utility>

namespace x2gobroker::core {
namespace {

constexpr std::array<std::pair<AgentTask, const char*>, 10> kTaskNames = {{
    {AgentTask::kPing, "ping"},
    {AgentTask::kAvailableTasks, "availabletasks"},
    {AgentTask::kListSessions, "listsessions"},
    {AgentTask::kGetServers, "getservers"},
    {AgentTask::kFindBusyServers, "findbusyservers"},
    {AgentTask::kCheckLoad, "checkload"},
    {AgentTask::kAddAuthKey, "addauthkey"},
    {AgentTask::kDelAuthKey, "delauthkey"},
    {AgentTask::kSuspendSession, "suspendsession"},
    {AgentTask::kTerminateSession, "terminatesession"},
}};

bool IsLowerOrDigit(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlnum(char c) { return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
// [A-Za-z0-9_.-]
bool IsIdChar(char c) { return IsAlnum(c) || c == '_' || c == '.' || c == '-'; }

bool AllOf(std::string_view s, bool (*pred)(char)) {
  for (char c : s) {
    if (!pred(c)) return false;
  }
  return true;
}

// ^[A-Za-z0-9_.-]+-[0-9]{2,4}-[0-9]{10,}$ : the part of a session id before `_st`. '-' only
// occurs in the leading class, so the last two '-' split the string unambiguously.
bool IsSessionIdHead(std::string_view head) {
  size_t last = head.rfind('-');
  if (last == std::string_view::npos) return false;
  std::string_view epoch = head.substr(last + 1);
  if (epoch.size() < 10 || !AllOf(epoch, IsDigit)) return false;
  std::string_view rest = head.substr(0, last);
  size_t second = rest.rfind('-');
  if (second == std::string_view::npos) return false;
  std::string_view display = rest.substr(second + 1);
  if (display.size() < 2 || display.size() > 4 || !AllOf(display, IsDigit)) return false;
  std::string_view user = rest.substr(0, second);
  return !user.empty() && AllOf(user, IsIdChar);
}

// The characters refused in every argument (§9.5): they would end the single quotes, be cut
// by the agent (;), or be interpreted by the agent's sed (!) or a shell.
bool HasForbiddenChar(std::string_view arg) {
  for (char c : arg) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return true;  // CR, LF, NUL, TAB, ESC, ...
    switch (c) {
      case '\'': case ';': case '!': case '\\': case '`': case '$':
        return true;
      default:
        break;
    }
  }
  return false;
}

bool IsPrintableAscii(std::string_view s) {
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u > 0x7e) return false;
  }
  return true;
}

size_t ArityOf(AgentTask task) {
  switch (task) {
    case AgentTask::kAddAuthKey:
    case AgentTask::kDelAuthKey:
      return 2;
    case AgentTask::kSuspendSession:
    case AgentTask::kTerminateSession:
      return 1;
    default:
      return 0;
  }
}

}  // namespace

const char* AgentTaskName(AgentTask task) {
  for (const auto& [t, name] : kTaskNames) {
    if (t == task) return name;
  }
  return "ping";  // unreachable: the enum is closed
}

std::optional<AgentTask> AgentTaskFromName(std::string_view name) {
  for (const auto& [t, n] : kTaskNames) {
    if (name == n) return t;
  }
  return std::nullopt;
}

bool IsValidAgentUser(std::string_view user) {
  if (!user.empty() && user.back() == '$') user.remove_suffix(1);  // Samba machine accounts
  if (user.empty() || user.size() > 32) return false;
  if (!(user[0] == '_' || (user[0] >= 'a' && user[0] <= 'z'))) return false;
  for (char c : user.substr(1)) {
    if (!(IsLowerOrDigit(c) || c == '_' || c == '.' || c == '-')) return false;
  }
  return true;
}

bool IsValidSessionId(std::string_view sid) {
  // Suffix _dp[0-9]+: the trailing digit run is maximal, so it is unique.
  size_t digits = 0;
  while (digits < sid.size() && IsDigit(sid[sid.size() - 1 - digits])) ++digits;
  if (digits == 0 || sid.size() < digits + 3) return false;
  std::string_view rest = sid.substr(0, sid.size() - digits);
  if (rest.substr(rest.size() - 3) != "_dp") return false;
  rest.remove_suffix(3);
  // rest = HEAD _st[DRS] [A-Za-z0-9_.-]*; the tail class contains "_st" too, so try every one.
  for (size_t pos = rest.find("_st"); pos != std::string_view::npos; pos = rest.find("_st", pos + 1)) {
    if (pos + 3 >= rest.size()) break;
    char type = rest[pos + 3];
    if (type != 'D' && type != 'R' && type != 'S') continue;
    if (!AllOf(rest.substr(pos + 4), IsIdChar)) continue;
    if (IsSessionIdHead(rest.substr(0, pos))) return true;
  }
  return false;
}

bool IsValidAuthorizedKeysPath(std::string_view path) {
  if (path.empty()) return false;
  for (char c : path) {
    if (!(IsAlnum(c) || c == '%' || c == '/' || c == '.' || c == '_' || c == '-')) return false;
  }
  return true;
}

Result<std::vector<std::string>> AgentArguments(AgentTask task, const std::string& user,
                                                const std::vector<std::string>& args) {
  if (!IsValidAgentUser(user)) return InvalidArgument("invalid agent user name");
  if (args.size() != ArityOf(task)) {
    return InvalidArgument(std::string("wrong number of arguments for ") + AgentTaskName(task));
  }
  for (const std::string& arg : args) {
    if (HasForbiddenChar(arg)) return InvalidArgument("agent argument holds a forbidden character");
  }
  switch (task) {
    case AgentTask::kAddAuthKey:
    case AgentTask::kDelAuthKey:
      if (args[0].empty() || !IsPrintableAscii(args[0])) {
        return InvalidArgument("key line must be non-empty printable ASCII");
      }
      if (!IsValidAuthorizedKeysPath(args[1])) return InvalidArgument("invalid authorized_keys path");
      break;
    case AgentTask::kSuspendSession:
    case AgentTask::kTerminateSession:
      if (!IsValidSessionId(args[0])) return InvalidArgument("invalid session id");
      break;
    default:
      break;
  }
  std::vector<std::string> words;
  words.reserve(2 + args.size());
  words.push_back(user);
  words.emplace_back(AgentTaskName(task));
  words.insert(words.end(), args.begin(), args.end());
  return words;
}

std::string RemoteAgentCommand(const std::string& agent_cmd, const std::vector<std::string>& arguments) {
  std::string command = agent_cmd;
  for (const std::string& word : arguments) {
    command += " '";
    command += word;
    command += '\'';
  }
  return command;
}

}  // namespace x2gobroker::core
