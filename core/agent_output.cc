// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/agent_output.h"

#include <string>

namespace x2gobroker::core {
namespace {

// Enough of a bad first line to recognise it in a log.
constexpr size_t kMaxQuotedBytes = 60;

std::string_view NextLine(std::string_view* rest) {
  size_t nl = rest->find('\n');
  std::string_view line = rest->substr(0, nl);
  rest->remove_prefix(nl == std::string_view::npos ? rest->size() : nl + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

bool IsBlank(std::string_view line) {
  for (char c : line) {
    if (c != ' ' && c != '\t') return false;
  }
  return true;
}

// Printable ASCII only, so the message stays one log line whatever the server sent.
std::string Sanitize(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, kMaxQuotedBytes)) {
    unsigned char u = static_cast<unsigned char>(c);
    out += (u >= 0x20 && u < 0x7f) ? c : '?';
  }
  if (text.size() > kMaxQuotedBytes) out += "...";
  return out;
}

}  // namespace

Result<AgentReply> ParseAgentOutput(std::string_view stdout_text) {
  if (stdout_text.size() > kMaxAgentOutputBytes) {
    return Unavailable("agent output over " + std::to_string(kMaxAgentOutputBytes) + " bytes");
  }
  if (stdout_text.empty()) return Unavailable("agent printed nothing");
  std::string_view rest = stdout_text;
  std::string_view first = NextLine(&rest);
  if (first.substr(0, 2) != "OK") return Unavailable("agent did not answer OK: \"" + Sanitize(first) + "\"");
  AgentReply reply;
  while (!rest.empty()) {
    std::string_view line = NextLine(&rest);
    if (!IsBlank(line)) reply.lines.emplace_back(line);
  }
  return reply;
}

}  // namespace x2gobroker::core
