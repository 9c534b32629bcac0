// SPDX-License-Identifier: AGPL-3.0-or-later
// OptionCursor walks a command line of `-x VALUE`, `--name VALUE` and `--name=VALUE` options,
// shared by the option parsers of x2gobroker-fcgi and x2gobroker-authservice. Errors read
// "<option>: <problem>". Not thread-safe (one parser, one cursor).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace x2gobroker::core {

// Parses a whole integer in `base` within [min, max]; false otherwise (out untouched).
bool ParseLongInRange(std::string_view text, int base, long min, long max, long* out);

class OptionCursor {
 public:
  explicit OptionCursor(const std::vector<std::string>& args) : args_(args) {}

  // Moves to the next option; false when the arguments are exhausted.
  bool Next();
  // The option's name, without an inline `=value`.
  const std::string& name() const { return name_; }
  // The option's value: inline after '=', else the next argument (consumed).
  Status Value(std::string* out);
  // OK if the option carries no inline value (a flag).
  Status Flag() const;
  // Value() as a decimal integer in [min, max].
  Status Integer(long min, long max, long* out);
  // InvalidArgument("<option>: <problem>").
  Status Bad(const std::string& problem) const;

 private:
  const std::vector<std::string>& args_;
  size_t next_ = 0;
  std::string name_;
  std::optional<std::string> inline_value_;
};

}  // namespace x2gobroker::core
