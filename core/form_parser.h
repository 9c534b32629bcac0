// SPDX-License-Identifier: AGPL-3.0-or-later
// FormParser decodes application/x-www-form-urlencoded text (query string and body) into
// FormFields the way the reference's Tornado does (PROTOCOL.md §1.5): `&`-separated pairs,
// the first `=` splits name and value, `+` and `%20` are spaces, raw bytes other than `&`
// and `=` are accepted (X2Go Client sends `sid` and `authid` unencoded), the last value of a
// repeated field wins, values are stripped of surrounding whitespace except `password`.
// Stricter than the reference on purpose: malformed percent-escapes, invalid UTF-8, NUL and
// control characters are rejected (InvalidArgument) instead of being passed on or replaced.
// Input is untrusted (client → web server → here). Stateless and thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "core/status.h"

namespace x2gobroker::core {

class FormFields {
 public:
  // The value of `name`, or "" if absent.
  const std::string& Get(const std::string& name) const;
  bool Has(const std::string& name) const { return fields_.count(name) > 0; }
  void Set(std::string name, std::string value) { fields_[std::move(name)] = std::move(value); }
  size_t size() const { return fields_.size(); }

 private:
  std::map<std::string, std::string> fields_;
};

// Decodes `text` and merges its fields into *fields (later fields overwrite earlier ones).
// On failure returns InvalidArgument with a fixed, input-free reason (safe to show to the
// client) and leaves *fields partially filled.
Status ParseFormInto(std::string_view text, FormFields* fields);

}  // namespace x2gobroker::core
