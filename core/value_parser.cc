// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/value_parser.h"

#include <limits>

#include "core/string_util.h"

namespace x2gobroker::core {

std::optional<bool> ParseBool(std::string_view text) {
  std::string lower = ToLower(text);
  if (lower == "1" || lower == "yes" || lower == "true" || lower == "on") return true;
  if (lower == "0" || lower == "no" || lower == "false" || lower == "off") return false;
  return std::nullopt;
}

std::optional<int64_t> ParseInt(std::string_view text) {
  std::string_view s = Trim(text);
  if (s.empty()) return std::nullopt;
  bool negative = false;
  if (s[0] == '+' || s[0] == '-') {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return std::nullopt;
  uint64_t magnitude = 0;
  const uint64_t limit = negative ? uint64_t{1} << 63 : static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  bool previous_was_digit = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '_') {
      // Python allows one underscore between two digits only.
      if (!previous_was_digit || i + 1 >= s.size() || s[i + 1] < '0' || s[i + 1] > '9') return std::nullopt;
      previous_was_digit = false;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    uint64_t digit = static_cast<uint64_t>(c - '0');
    if (magnitude > (limit - digit) / 10) return std::nullopt;
    magnitude = magnitude * 10 + digit;
    previous_was_digit = true;
  }
  if (negative) return magnitude == (uint64_t{1} << 63) ? std::numeric_limits<int64_t>::min()
                                                       : -static_cast<int64_t>(magnitude);
  return static_cast<int64_t>(magnitude);
}

namespace {

// Parses `['a', "b"]` (whitespace allowed around items, optional trailing comma).
std::optional<std::vector<std::string>> ParseListLiteral(std::string_view s) {
  std::vector<std::string> items;
  size_t i = 1;  // after '['
  const size_t end = s.size() - 1;  // index of ']'
  auto skip_space = [&] {
    while (i < end && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
  };
  skip_space();
  while (i < end) {
    char quote = s[i];
    if (quote != '\'' && quote != '"') return std::nullopt;
    ++i;
    std::string item;
    while (i < end && s[i] != quote) {
      if (s[i] == '\\' || s[i] == '\n') return std::nullopt;  // no escapes: keep the grammar tiny
      item += s[i++];
    }
    if (i >= end) return std::nullopt;
    ++i;  // closing quote
    items.push_back(std::move(item));
    skip_space();
    if (i < end) {
      if (s[i] != ',') return std::nullopt;
      ++i;
      skip_space();
    }
  }
  return items;
}

}  // namespace

std::optional<std::vector<std::string>> ParseList(std::string_view text) {
  std::string_view s = Trim(text);
  if (s.size() >= 2 && s.front() == '[' && s.back() == ']') return ParseListLiteral(s);
  std::vector<std::string> items;
  if (s.find(',') != std::string_view::npos) {
    for (const std::string& piece : Split(s, ',')) items.emplace_back(Trim(piece));
  } else {
    items.emplace_back(s);
  }
  return items;
}

}  // namespace x2gobroker::core
