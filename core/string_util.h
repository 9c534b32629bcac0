// SPDX-License-Identifier: AGPL-3.0-or-later
// Small string helpers shared by the parsers. Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace x2gobroker::core {

// Python's str.strip(): removes ASCII whitespace (space, \t, \n, \v, \f, \r) at both ends.
std::string_view Trim(std::string_view s);
std::string ToLower(std::string_view s);
std::string ToUpper(std::string_view s);
bool StartsWith(std::string_view s, std::string_view prefix);
bool EndsWith(std::string_view s, std::string_view suffix);
// The fields of a line separated by runs of spaces and tabs (authorized_keys, known_hosts).
std::vector<std::string_view> SplitWhitespace(std::string_view line);
// Splits on every occurrence of `sep` (empty pieces kept).
std::vector<std::string> Split(std::string_view s, char sep);
std::string Join(const std::vector<std::string>& items, std::string_view sep);
// True if `s` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool IsValidUtf8(std::string_view s);
// Reads a whole file; returns false if it cannot be opened or read.
bool ReadFile(const std::string& path, std::string* out);

}  // namespace x2gobroker::core
