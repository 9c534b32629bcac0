// SPDX-License-Identifier: AGPL-3.0-or-later
#include "config/config_value.h"

#include "core/log.h"
#include "core/value_parser.h"

namespace x2gobroker::config {
namespace {

// Values are quoted in messages; a long one is cut so that one bad line stays one log line.
constexpr size_t kMaxQuotedValue = 80;

std::string Quoted(std::string_view text) {
  std::string shown = core::Printable(text.substr(0, kMaxQuotedValue));
  if (text.size() > kMaxQuotedValue) shown += "...";
  return "'" + shown + "'";
}

core::Status RefuseContinuation(const ConfigValue& value) {
  return value.Error("value continues on an indented line (a mis-indented key?)");
}

}  // namespace

std::string ConfigValue::Where() const { return std::string(file) + ":" + std::to_string(entry.line); }

core::Status ConfigValue::Error(std::string_view problem) const {
  return core::InvalidArgument(Where() + ": " + std::string(problem) + " (key '" + entry.key + "')");
}

core::Status ParseBoolValue(const ConfigValue& value, bool* out) {
  if (value.entry.continued) return RefuseContinuation(value);
  std::optional<bool> parsed = core::ParseBool(value.entry.value);
  if (!parsed) {
    return value.Error("invalid boolean " + Quoted(value.entry.value) +
                       ", expected one of 1/yes/true/on or 0/no/false/off");
  }
  *out = *parsed;
  return core::Status::Ok();
}

core::Status ParseIntValue(const ConfigValue& value, int64_t* out) {
  if (value.entry.continued) return RefuseContinuation(value);
  if (value.entry.value == "not-set") return core::Status::Ok();
  std::optional<int64_t> parsed = core::ParseInt(value.entry.value);
  if (!parsed) return value.Error("invalid integer " + Quoted(value.entry.value));
  *out = *parsed;
  return core::Status::Ok();
}

core::Status ParseListValue(const ConfigValue& value, std::vector<std::string>* out) {
  // Continuation lines are allowed here: a long list wrapped after a comma is legitimate.
  std::optional<std::vector<std::string>> parsed = core::ParseList(value.entry.value);
  if (!parsed) {
    return value.Error("malformed list " + Quoted(value.entry.value) +
                       ": a value in [...] must be a list of quoted strings, e.g. ['a', 'b']");
  }
  std::vector<std::string> items;
  for (std::string& item : *parsed) {
    if (item.find('\n') != std::string::npos) {
      return value.Error("list item spans several lines; separate items with ','");
    }
    if (!item.empty()) items.push_back(std::move(item));
  }
  *out = std::move(items);
  return core::Status::Ok();
}

core::Status ParseStringValue(const ConfigValue& value, std::string* out) {
  if (value.entry.continued) return RefuseContinuation(value);
  *out = value.entry.value;
  return core::Status::Ok();
}

}  // namespace x2gobroker::config
