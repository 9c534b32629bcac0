// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/form_parser.h"

#include "core/string_util.h"

namespace x2gobroker::core {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decodes with `+` as space. False on a malformed escape.
bool Unescape(std::string_view in, std::string* out) {
  out->clear();
  out->reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '+') {
      out->push_back(' ');
    } else if (c == '%') {
      if (i + 2 >= in.size()) return false;
      int hi = HexValue(in[i + 1]);
      int lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out->push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out->push_back(c);
    }
  }
  return true;
}

// Control characters the reference would silently turn into spaces (U+0000–U+0008,
// U+000E–U+001F) and DEL. TAB, LF, VT, FF and CR count as whitespace and may surround values.
bool IsForbiddenControl(unsigned char c) { return c <= 0x08 || (c >= 0x0e && c <= 0x1f) || c == 0x7f; }
bool IsWhitespaceControl(unsigned char c) { return c >= 0x09 && c <= 0x0d; }

}  // namespace

const std::string& FormFields::Get(const std::string& name) const {
  static const std::string kEmpty;
  auto it = fields_.find(name);
  return it == fields_.end() ? kEmpty : it->second;
}

Status ParseFormInto(std::string_view text, FormFields* fields) {
  size_t pos = 0;
  std::string name;
  std::string value;
  while (pos <= text.size()) {
    size_t amp = text.find('&', pos);
    if (amp == std::string_view::npos) amp = text.size();
    std::string_view pair = text.substr(pos, amp - pos);
    pos = amp + 1;
    if (pair.empty()) {
      if (amp >= text.size()) break;
      continue;
    }
    size_t eq = pair.find('=');
    std::string_view raw_name = pair.substr(0, eq);
    std::string_view raw_value = eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    if (!Unescape(raw_name, &name) || !Unescape(raw_value, &value)) {
      return InvalidArgument("malformed percent-escape");
    }
    if (!IsValidUtf8(name) || !IsValidUtf8(value)) return InvalidArgument("invalid UTF-8");
    for (unsigned char c : name) {
      if (c < 0x20 || c == 0x7f) return InvalidArgument("control character in a field name");
    }
    if (name != "password") value = std::string(Trim(value));
    for (unsigned char c : value) {
      if (IsForbiddenControl(c)) return InvalidArgument("NUL or control character in a field");
      if (IsWhitespaceControl(c) && name != "password") return InvalidArgument("control character in a field");
    }
    fields->Set(name, value);
    if (amp >= text.size()) break;
  }
  return Status::Ok();
}

}  // namespace x2gobroker::core
