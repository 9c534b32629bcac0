// SPDX-License-Identifier: AGPL-3.0-or-later
#include "agent_server/agent_config.h"

#include <sys/stat.h>

#include <cerrno>

#include "core/string_util.h"

namespace x2gobroker::agent_server {

core::Result<AgentConfig> ParseAgentConfig(std::string_view text) {
  AgentConfig config;
  int line_no = 0;
  for (const std::string& raw : core::Split(text, '\n')) {
    ++line_no;
    const std::string_view line = core::Trim(raw);
    if (line.empty() || line[0] == '#') continue;
    const std::string where = "line " + std::to_string(line_no) + ": ";
    const size_t eq = line.find('=');
    if (eq == std::string_view::npos) return core::InvalidArgument(where + "expected key=value");
    const std::string_view key = core::Trim(line.substr(0, eq));
    const std::string_view value = core::Trim(line.substr(eq + 1));
    if (key != "min-uid") return core::InvalidArgument(where + "unknown key");
    if (value.empty() || value.size() > 10) return core::InvalidArgument(where + "bad min-uid");
    int64_t v = 0;
    for (char c : value) {
      if (c < '0' || c > '9') return core::InvalidArgument(where + "bad min-uid");
      v = v * 10 + (c - '0');
    }
    if (v < 1 || v > 2147483647) return core::InvalidArgument(where + "min-uid out of range");
    config.min_uid = static_cast<uid_t>(v);
  }
  return config;
}

core::Result<AgentConfig> LoadAgentConfig(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 && errno == ENOENT) return AgentConfig{};
  std::string text;
  if (!core::ReadFile(path, &text)) return core::Unavailable("cannot read " + path);
  auto parsed = ParseAgentConfig(text);
  if (!parsed.ok()) return core::InvalidArgument(path + ": " + parsed.status().message());
  return parsed;
}

}  // namespace x2gobroker::agent_server
