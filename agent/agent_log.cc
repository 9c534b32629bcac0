// SPDX-License-Identifier: AGPL-3.0-or-later
#include "agent/agent_log.h"

#include "core/agent_command.h"
#include "core/log.h"

namespace x2gobroker::agent {
namespace {

// Perl's die messages are one or two lines; more is noise in the broker's log.
constexpr size_t kMaxLoggedStderr = 300;

}  // namespace

void LogAgentStderr(core::AgentTask task, const std::string& where, std::string_view stderr_text) {
  while (!stderr_text.empty() && (stderr_text.back() == '\n' || stderr_text.back() == '\r')) stderr_text.remove_suffix(1);
  if (stderr_text.empty()) return;
  std::string text = core::Printable(stderr_text.substr(0, kMaxLoggedStderr));
  if (stderr_text.size() > kMaxLoggedStderr) text += "...";
  core::LogWarning(std::string("agent ") + core::AgentTaskName(task) + " on " + where + " wrote to stderr: " + text);
}

}  // namespace x2gobroker::agent
