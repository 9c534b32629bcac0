// SPDX-License-Identifier: AGPL-3.0-or-later
// `findbusyservers` (PROTOCOL.md §9.3): from the `<server> <count>` lines of x2gogetservers,
// each server's share of all sessions as `<percent>:<server>` lines. Pure, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace x2gobroker::agent_server {

struct ServerCount {
  std::string server;
  int64_t count = 0;  // 0 when x2gogetservers printed no count (SQLite session DB)
};

// Parses x2gogetservers' output: one `<server> [<count>]` per line, blank lines skipped, a
// missing or non-numeric count taken as 0, the same server twice summed.
std::vector<ServerCount> ParseServerCounts(std::string_view text);

// The data after OK: `<percent>:<server>` lines, percent = floor(count * 100 / total), sorted
// byte-wise as strings, each ending in \n. Servers with count 0 are left out. When the total is
// 0 (no sessions, or a SQLite DB that gives no counts) the answer is a single empty line,
// which the brokers read as "no busy server" (the reference died dividing by zero instead).
std::string FormatBusyServers(const std::vector<ServerCount>& counts);

}  // namespace x2gobroker::agent_server
