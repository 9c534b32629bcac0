// SPDX-License-Identifier: AGPL-3.0-or-later
#include "agent_server/busy_servers.h"

#include <algorithm>

#include "core/string_util.h"

namespace x2gobroker::agent_server {
namespace {

// Counts above this are treated as bogus (a farm never has a billion sessions); keeps the
// percentage arithmetic far from overflow.
constexpr int64_t kMaxCount = 1'000'000'000;

int64_t ParseCount(std::string_view s) {
  if (s.empty() || s.size() > 10) return 0;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return 0;
    v = v * 10 + (c - '0');
  }
  return v > kMaxCount ? 0 : v;
}

}  // namespace

std::vector<ServerCount> ParseServerCounts(std::string_view text) {
  std::vector<ServerCount> out;
  for (const std::string& line : core::Split(text, '\n')) {
    const auto fields = core::SplitWhitespace(line);
    if (fields.empty()) continue;
    const int64_t count = fields.size() >= 2 ? ParseCount(fields[1]) : 0;
    auto it = std::find_if(out.begin(), out.end(), [&](const ServerCount& s) { return s.server == fields[0]; });
    if (it != out.end()) {
      it->count = std::min(it->count + count, kMaxCount);
    } else {
      out.push_back({std::string(fields[0]), count});
    }
  }
  return out;
}

std::string FormatBusyServers(const std::vector<ServerCount>& counts) {
  int64_t total = 0;
  for (const ServerCount& s : counts) total += s.count;
  if (total == 0) return "\n";
  std::vector<std::string> lines;
  for (const ServerCount& s : counts) {
    if (s.count == 0) continue;
    lines.push_back(std::to_string(s.count * 100 / total) + ":" + s.server);
  }
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

}  // namespace x2gobroker::agent_server
