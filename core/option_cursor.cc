// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/option_cursor.h"

#include <charconv>

namespace x2gobroker::core {

bool ParseLongInRange(std::string_view text, int base, long min, long max, long* out) {
  long value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return false;
  if (value < min || value > max) return false;
  *out = value;
  return true;
}

bool OptionCursor::Next() {
  if (next_ >= args_.size()) return false;
  name_ = args_[next_++];
  inline_value_.reset();
  if (name_.size() > 2 && name_.compare(0, 2, "--") == 0) {
    size_t equals = name_.find('=');
    if (equals != std::string::npos) {
      inline_value_ = name_.substr(equals + 1);
      name_.resize(equals);
    }
  }
  return true;
}

Status OptionCursor::Value(std::string* out) {
  if (inline_value_) {
    *out = *inline_value_;
  } else if (next_ < args_.size()) {
    *out = args_[next_++];
  } else {
    return Bad("missing value");
  }
  return Status::Ok();
}

Status OptionCursor::Flag() const { return inline_value_ ? Bad("takes no value") : Status::Ok(); }

Status OptionCursor::Integer(long min, long max, long* out) {
  std::string text;
  if (Status s = Value(&text); !s.ok()) return s;
  if (!ParseLongInRange(text, 10, min, max, out)) {
    return Bad("expected " + std::to_string(min) + ".." + std::to_string(max));
  }
  return Status::Ok();
}

Status OptionCursor::Bad(const std::string& problem) const { return InvalidArgument(name_ + ": " + problem); }

}  // namespace x2gobroker::core
