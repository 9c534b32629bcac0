// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/ini_parser.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>

#include "core/string_util.h"

namespace x2gobroker::core {

const IniEntry* IniSection::Find(std::string_view key) const {
  for (const IniEntry& e : entries) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

const IniSection* IniDocument::FindSection(std::string_view name) const {
  for (const IniSection& s : sections) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

namespace {

size_t IndentOf(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  return i;
}

Status LineError(std::string_view source, int line, const std::string& problem) {
  return InvalidArgument(std::string(source) + ":" + std::to_string(line) + ": " + problem);
}

}  // namespace

Result<IniDocument> ParseIni(std::string_view text, std::string_view source) {
  IniDocument doc;
  doc.defaults.name = "DEFAULT";
  IniSection* current = nullptr;
  IniEntry* last_entry = nullptr;
  size_t last_entry_indent = 0;
  std::set<std::string> section_names;
  std::set<std::string> keys_in_section;
  bool pending_blank = false;  // a blank line inside a possibly continued value

  int line_no = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view raw = text.substr(pos, eol - pos);
    bool at_end = eol >= text.size();
    pos = eol + 1;
    ++line_no;
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    if (line_no == 1 && StartsWith(raw, "\xEF\xBB\xBF")) raw.remove_prefix(3);

    std::string_view stripped = Trim(raw);
    if (stripped.empty()) {
      if (last_entry != nullptr) pending_blank = true;
      if (at_end) break;
      continue;
    }
    if (stripped[0] == '#' || stripped[0] == ';') {
      if (at_end) break;
      continue;
    }
    size_t indent = IndentOf(raw);
    if (last_entry != nullptr && indent > last_entry_indent) {
      // Continuation line (RawConfigParser semantics): joined with LF, blank lines kept.
      if (pending_blank) last_entry->value += "\n";
      last_entry->value += "\n";
      last_entry->value += stripped;
      last_entry->continued = true;
      pending_blank = false;
      if (at_end) break;
      continue;
    }
    pending_blank = false;
    if (stripped[0] == '[') {
      size_t close = stripped.rfind(']');
      if (close == std::string_view::npos || close < 2) {
        return LineError(source, line_no, "malformed section header");
      }
      std::string name(stripped.substr(1, close - 1));
      if (name == "DEFAULT") {
        current = &doc.defaults;
        if (doc.defaults.line != 0) return LineError(source, line_no, "duplicate section [DEFAULT]");
        doc.defaults.line = line_no;
      } else {
        if (!section_names.insert(name).second) {
          return LineError(source, line_no, "duplicate section [" + name + "]");
        }
        doc.sections.push_back(IniSection{name, line_no, {}});
        current = &doc.sections.back();
      }
      keys_in_section.clear();
      last_entry = nullptr;
      if (at_end) break;
      continue;
    }
    if (current == nullptr) {
      return LineError(source, line_no, "key outside of any [section]");
    }
    size_t sep = stripped.find_first_of("=:");
    if (sep == std::string_view::npos) {
      return LineError(source, line_no, "line is neither a section, a comment nor key=value");
    }
    std::string key(Trim(stripped.substr(0, sep)));
    if (key.empty()) return LineError(source, line_no, "empty key");
    if (!keys_in_section.insert(key).second) {
      return LineError(source, line_no, "duplicate key '" + key + "' in [" + current->name + "]");
    }
    current->entries.push_back(IniEntry{key, std::string(Trim(stripped.substr(sep + 1))), line_no, false});
    last_entry = &current->entries.back();
    last_entry_indent = indent;
    if (at_end) break;
  }
  // Pointers into vectors must not be kept across push_back: `last_entry` is only used
  // until the next entry or section is added, which is when it is reassigned.
  return doc;
}

Result<IniDocument> ParseIniFile(const std::string& path) {
  std::ifstream probe(path, std::ios::binary);
  if (!probe) {
    if (errno == ENOENT) return ParseIni("", path);
    return Unavailable(path + ": cannot read: " + std::strerror(errno));
  }
  std::string text;
  if (!ReadFile(path, &text)) return Unavailable(path + ": cannot read");
  return ParseIni(text, path);
}

}  // namespace x2gobroker::core
