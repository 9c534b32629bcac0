// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/agent_replies.h"

#include <charconv>
#include <cmath>
#include <string_view>

#include "core/string_util.h"

namespace x2gobroker::core {
namespace {

// A session count or percentage never needs more; the bound keeps sums far from overflow.
constexpr int64_t kMaxCount = 1'000'000'000'000;

bool HasControlChar(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

// Decimal digits only, value <= max.
std::optional<int64_t> ParseBoundedDigits(std::string_view s, int64_t max) {
  if (s.empty() || s.size() > 19) return std::nullopt;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || ptr != s.data() + s.size() || value > max) return std::nullopt;
  return value;
}

// `123` or `12.5`: what the agent prints (integers) plus a fraction, which the reference's
// float() also takes. Signs, exponents, inf and nan are refused on purpose.
std::optional<double> ParsePlainDecimal(std::string_view s) {
  // 40 characters cover any sane metric; the bound keeps from_chars cheap on hostile input.
  if (s.empty() || s.size() > 40) return std::nullopt;
  size_t dot = s.find('.');
  std::string_view whole = s.substr(0, dot);
  std::string_view fraction = dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
  auto all_digits = [](std::string_view d) {
    if (d.empty()) return false;
    for (char c : d) {
      if (c < '0' || c > '9') return false;
    }
    return true;
  };
  if (!all_digits(whole)) return std::nullopt;
  if (dot != std::string_view::npos && !all_digits(fraction)) return std::nullopt;
  double value = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

LoadFactor Error(const char* word) { return LoadFactor{std::nullopt, word}; }

}  // namespace

std::vector<AgentSession> ParseSessionLines(const std::vector<std::string>& lines) {
  std::vector<AgentSession> sessions;
  for (const std::string& line : lines) {
    if (HasControlChar(line) || !IsValidUtf8(line)) continue;
    std::vector<std::string> fields = Split(line, '|');
    if (fields.size() < 5) continue;
    const std::string& server = fields[3];
    const std::string& status = fields[4];
    if (server.empty() || (status != "R" && status != "S")) continue;
    sessions.push_back(AgentSession{line, server, status[0]});
  }
  return sessions;
}

std::map<std::string, int64_t> CountSessionsPerServer(const std::vector<AgentSession>& sessions) {
  std::map<std::string, int64_t> counts;
  for (const AgentSession& s : sessions) ++counts[s.server];
  return counts;
}

std::optional<std::map<std::string, int64_t>> ParseGetServers(const std::vector<std::string>& lines) {
  std::map<std::string, int64_t> counts;
  for (const std::string& line : lines) {
    if (line.empty()) continue;
    if (HasControlChar(line)) return std::nullopt;
    size_t space = line.find(' ');
    if (space == std::string::npos || space == 0) return std::nullopt;
    std::optional<int64_t> count = ParseBoundedDigits(std::string_view(line).substr(space + 1), kMaxCount);
    if (!count) return std::nullopt;
    if (!counts.emplace(line.substr(0, space), *count).second) return std::nullopt;
  }
  return counts;
}

std::optional<std::map<std::string, int64_t>> ParseFindBusyServers(const std::vector<std::string>& lines) {
  std::map<std::string, int64_t> percents;
  for (const std::string& line : lines) {
    if (line.empty()) continue;
    if (HasControlChar(line)) return std::nullopt;
    size_t colon = line.find(':');
    if (colon == std::string::npos || colon + 1 == line.size()) return std::nullopt;
    std::optional<int64_t> percent = ParseBoundedDigits(std::string_view(line).substr(0, colon), 100);
    if (!percent) return std::nullopt;
    std::string server = line.substr(colon + 1);
    if (server.find(' ') != std::string::npos) return std::nullopt;
    if (!percents.emplace(std::move(server), *percent).second) return std::nullopt;
  }
  return percents;
}

LoadFactor LoadFactorFromCheckLoad(const std::vector<std::string>& lines) {
  std::map<std::string_view, std::string_view> fields;
  for (const std::string& line : lines) {
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    fields[std::string_view(line).substr(0, colon)] = std::string_view(line).substr(colon + 1);
  }
  auto field = [&fields](std::string_view key) -> std::optional<double> {
    auto it = fields.find(key);
    if (it == fields.end()) return std::nullopt;
    return ParsePlainDecimal(it->second);
  };
  std::optional<double> loadavg = field("loadavgXX");
  std::optional<double> mem_avail = field("memAvail");
  std::optional<double> num_cpu = field("numCPU");
  std::optional<double> type_cpu = field("typeCPU");
  if (!loadavg || !mem_avail || !num_cpu || !type_cpu || *loadavg <= 0) return Error(kLoadDataBogus);
  // The reference reads myMemAvail only when memAvail is 0 (a KeyError otherwise is impossible).
  if (*mem_avail == 0) {
    mem_avail = field("myMemAvail");
    if (!mem_avail) return Error(kLoadDataBogus);
  }
  // Same operation order as the reference's Python so the truncated results agree bit for bit.
  double factor = ((*mem_avail / 1000) * *num_cpu * *type_cpu * 100) / *loadavg;
  // 2^63 is exactly representable; anything at or above it (or inf) does not fit an int64.
  if (!std::isfinite(factor) || factor >= 9223372036854775808.0) return Error(kLoadDataBogus);
  return LoadFactor{static_cast<int64_t>(std::trunc(factor)), ""};
}

std::string FormatLoadFactor(const LoadFactor& f) {
  if (f.value) return std::to_string(*f.value);
  if (f.error.empty()) return kLoadDataBogus;
  return f.error;
}

LoadFactor ParseLoadFactor(std::string_view text) {
  for (const char* word : {kLoadUnavailable, kHostUnreachable, kLoadDataBogus}) {
    if (text == word) return Error(word);
  }
  std::string_view s = Trim(text);
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  // Python's int() takes any number of leading zeros; from_chars below is bounded to 19 digits.
  while (s.size() > 1 && s[0] == '0' && s[1] >= '0' && s[1] <= '9') s.remove_prefix(1);
  if (s.empty() || s.size() > 19) return Error(kLoadDataBogus);
  for (char c : s) {
    if (c < '0' || c > '9') return Error(kLoadDataBogus);
  }
  uint64_t magnitude = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), magnitude);
  if (ec != std::errc() || ptr != s.data() + s.size()) return Error(kLoadDataBogus);
  constexpr uint64_t kMaxPositive = static_cast<uint64_t>(INT64_MAX);
  if (magnitude > kMaxPositive + (negative ? 1 : 0)) return Error(kLoadDataBogus);
  int64_t value = negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
  return LoadFactor{value, ""};
}

std::map<std::string, LoadFactor> ParseLoadFactorList(std::string_view text) {
  std::map<std::string, LoadFactor> factors;
  for (const std::string& item : Split(text, '\n')) {
    size_t colon = item.rfind(':');
    if (colon == std::string::npos || colon == 0) continue;
    factors[item.substr(0, colon)] = ParseLoadFactor(std::string_view(item).substr(colon + 1));
  }
  return factors;
}

}  // namespace x2gobroker::core
