// SPDX-License-Identifier: AGPL-3.0-or-later
// Typing of INI values by the type of the key's built-in default (PROTOCOL.md §2.2).
// Pure functions, thread-safe. All input is treated as untrusted text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace x2gobroker::core {

// `1 yes true on` / `0 no false off`, any case. nullopt for anything else.
std::optional<bool> ParseBool(std::string_view text);

// Python int(): optional surrounding whitespace, optional sign, decimal digits with single
// underscores between digits. nullopt for anything else or on overflow of int64.
std::optional<int64_t> ParseInt(std::string_view text);

// The reference's list rule without Python eval: trimmed text; `[...]` must be a list literal
// of single- or double-quoted strings (nullopt otherwise); text containing `,` is split on `,`
// and each item trimmed; anything else is a one-item list (possibly [""]).
std::optional<std::vector<std::string>> ParseList(std::string_view text);

}  // namespace x2gobroker::core
