// SPDX-License-Identifier: AGPL-3.0-or-later
// Typing of one `key = value` of x2gobroker.conf by the type of the key's built-in default
// (PROTOCOL.md §2.2). Every error names "file:line" and the key, so that a start-up failure
// points the administrator at the exact line (like `nginx -t`). Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/ini_parser.h"
#include "core/status.h"

namespace x2gobroker::config {

// One entry of the configuration file and where it was written.
struct ConfigValue {
  std::string_view file;
  const core::IniEntry& entry;

  // "file:line"
  std::string Where() const;
  // InvalidArgument("file:line: <problem> (key '<key>')").
  core::Status Error(std::string_view problem) const;
};

// Each parser stores the typed value in *out on success. On failure it returns
// InvalidArgument naming file:line and the key, and leaves *out untouched.

// `1 yes true on` / `0 no false off`, any case.
core::Status ParseBoolValue(const ConfigValue& value, bool* out);
// Python int(); `not-set` means "absent" and leaves *out (the default) untouched.
core::Status ParseIntValue(const ConfigValue& value, int64_t* out);
// The list rule of §2.2 with a safe `[...]` literal parser; empty items are dropped because an
// empty name can never denote anything (a bare `key =` is the empty list).
core::Status ParseListValue(const ConfigValue& value, std::vector<std::string>* out);
// Verbatim text. A value continued on an indented line is refused: for a single-valued key
// such a line is almost always a mis-indented key that would otherwise be swallowed silently.
core::Status ParseStringValue(const ConfigValue& value, std::string* out);

}  // namespace x2gobroker::config
