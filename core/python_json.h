// SPDX-License-Identifier: AGPL-3.0-or-later
// A tiny JSON value and a writer that reproduces Python's
// `json.dumps(obj, indent=N, sort_keys=True)` byte for byte (PROTOCOL.md §6.2): keys sorted by
// code point at every level, ", " never used, ": " after keys, empty containers inline, no
// trailing newline, ASCII only with lower-case \u escapes (surrogate pairs above U+FFFF).
// Hand-written rather than RapidJSON because RapidJSON's writer emits upper-case hex escapes
// and leaves DEL unescaped, and clients' answers must be byte-identical to the reference.
// Input strings must be valid UTF-8 (the callers validate at input/load time).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace x2gobroker::core {

class JsonValue {
 public:
  using Array = std::vector<JsonValue>;
  using Object = std::vector<std::pair<std::string, JsonValue>>;  // sorted when written

  JsonValue() : v_(nullptr) {}
  JsonValue(bool b) : v_(b) {}                       // NOLINT
  JsonValue(int64_t i) : v_(i) {}                    // NOLINT
  JsonValue(std::string s) : v_(std::move(s)) {}     // NOLINT
  JsonValue(const char* s) : v_(std::string(s)) {}   // NOLINT
  JsonValue(Array a) : v_(std::move(a)) {}           // NOLINT
  JsonValue(Object o) : v_(std::move(o)) {}          // NOLINT

  const auto& variant() const { return v_; }

 private:
  std::variant<std::nullptr_t, bool, int64_t, std::string, Array, Object> v_;
};

// Appends the Python-compatible dump of `value` to *out.
void WritePythonJson(const JsonValue& value, int indent, std::string* out);
std::string DumpPythonJson(const JsonValue& value, int indent);
// Appends a JSON string literal with Python's ensure_ascii escaping.
void AppendJsonString(std::string_view utf8, std::string* out);

}  // namespace x2gobroker::core
