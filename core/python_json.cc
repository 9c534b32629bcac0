// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/python_json.h"

#include <algorithm>

namespace x2gobroker::core {
namespace {

void AppendU16Escape(unsigned unit, std::string* out) {
  static const char kHex[] = "0123456789abcdef";
  char buf[6] = {'\\', 'u', kHex[(unit >> 12) & 15], kHex[(unit >> 8) & 15], kHex[(unit >> 4) & 15], kHex[unit & 15]};
  out->append(buf, 6);
}

void Indent(int indent, int depth, std::string* out) {
  out->push_back('\n');
  out->append(static_cast<size_t>(indent * depth), ' ');
}

void Write(const JsonValue& value, int indent, int depth, std::string* out) {
  const auto& v = value.variant();
  if (std::holds_alternative<std::nullptr_t>(v)) {
    out->append("null");
  } else if (const bool* b = std::get_if<bool>(&v)) {
    out->append(*b ? "true" : "false");
  } else if (const int64_t* i = std::get_if<int64_t>(&v)) {
    out->append(std::to_string(*i));
  } else if (const std::string* s = std::get_if<std::string>(&v)) {
    AppendJsonString(*s, out);
  } else if (const JsonValue::Array* a = std::get_if<JsonValue::Array>(&v)) {
    if (a->empty()) {
      out->append("[]");
      return;
    }
    out->push_back('[');
    for (size_t k = 0; k < a->size(); ++k) {
      if (k) out->push_back(',');
      Indent(indent, depth + 1, out);
      Write((*a)[k], indent, depth + 1, out);
    }
    Indent(indent, depth, out);
    out->push_back(']');
  } else {
    const auto& o = std::get<JsonValue::Object>(v);
    if (o.empty()) {
      out->append("{}");
      return;
    }
    std::vector<const std::pair<std::string, JsonValue>*> sorted;
    sorted.reserve(o.size());
    for (const auto& member : o) sorted.push_back(&member);
    std::sort(sorted.begin(), sorted.end(), [](auto* x, auto* y) { return x->first < y->first; });
    out->push_back('{');
    for (size_t k = 0; k < sorted.size(); ++k) {
      if (k) out->push_back(',');
      Indent(indent, depth + 1, out);
      AppendJsonString(sorted[k]->first, out);
      out->append(": ");
      Write(sorted[k]->second, indent, depth + 1, out);
    }
    Indent(indent, depth, out);
    out->push_back('}');
  }
}

}  // namespace

void AppendJsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7f) {
      if (c == '"' || c == '\\') out->push_back('\\');
      out->push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    switch (c) {
      case '\n': out->append("\\n"); ++i; continue;
      case '\r': out->append("\\r"); ++i; continue;
      case '\t': out->append("\\t"); ++i; continue;
      case '\b': out->append("\\b"); ++i; continue;
      case '\f': out->append("\\f"); ++i; continue;
      default: break;
    }
    if (c < 0x80) {
      AppendU16Escape(c, out);
      ++i;
      continue;
    }
    // Decode one UTF-8 sequence (validated upstream; a stray byte is escaped as U+FFFD).
    unsigned cp = 0xFFFD;
    size_t len = 1;
    if ((c & 0xE0) == 0xC0 && i + 1 < s.size()) {
      cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3Fu);
      len = 2;
    } else if ((c & 0xF0) == 0xE0 && i + 2 < s.size()) {
      cp = ((c & 0x0Fu) << 12) | ((static_cast<unsigned char>(s[i + 1]) & 0x3Fu) << 6) |
           (static_cast<unsigned char>(s[i + 2]) & 0x3Fu);
      len = 3;
    } else if ((c & 0xF8) == 0xF0 && i + 3 < s.size()) {
      cp = ((c & 0x07u) << 18) | ((static_cast<unsigned char>(s[i + 1]) & 0x3Fu) << 12) |
           ((static_cast<unsigned char>(s[i + 2]) & 0x3Fu) << 6) | (static_cast<unsigned char>(s[i + 3]) & 0x3Fu);
      len = 4;
    }
    if (cp >= 0x10000) {
      cp -= 0x10000;
      AppendU16Escape(0xD800 + (cp >> 10), out);
      AppendU16Escape(0xDC00 + (cp & 0x3FF), out);
    } else {
      AppendU16Escape(cp, out);
    }
    i += len;
  }
  out->push_back('"');
}

void WritePythonJson(const JsonValue& value, int indent, std::string* out) { Write(value, indent, 0, out); }

std::string DumpPythonJson(const JsonValue& value, int indent) {
  std::string out;
  WritePythonJson(value, indent, &out);
  return out;
}

}  // namespace x2gobroker::core
