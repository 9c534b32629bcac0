// SPDX-License-Identifier: AGPL-3.0-or-later
// IniParser reads the INI dialect of Python's RawConfigParser as the reference broker uses it
// for x2gobroker.conf and the session-profile file (PROTOCOL.md §2.2): case-sensitive keys,
// `=` or `:`, full-line `#`/`;` comments only, duplicate sections/keys are errors, `[DEFAULT]`
// is kept apart. Every section and entry keeps its line number for `file:line` diagnostics.
// Input is admin-controlled but still parsed defensively (no limits are trusted).
// Stateless and thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace x2gobroker::core {

struct IniEntry {
  std::string key;
  std::string value;     // trimmed; continuation lines joined with '\n'
  int line = 0;          // line of the key
  bool continued = false;  // true if an indented continuation line was appended
};

struct IniSection {
  std::string name;
  int line = 0;
  std::vector<IniEntry> entries;  // file order

  // Returns the entry for `key`, or nullptr.
  const IniEntry* Find(std::string_view key) const;
};

struct IniDocument {
  IniSection defaults;                // [DEFAULT], name "DEFAULT"; empty if absent
  std::vector<IniSection> sections;   // file order, DEFAULT excluded

  const IniSection* FindSection(std::string_view name) const;
};

// Parses `text`. On failure returns InvalidArgument with "<source>:<line>: <problem>".
Result<IniDocument> ParseIni(std::string_view text, std::string_view source);

// Reads and parses a file. A missing file yields an empty document (reference behaviour);
// an unreadable one is Unavailable.
Result<IniDocument> ParseIniFile(const std::string& path);

}  // namespace x2gobroker::core
