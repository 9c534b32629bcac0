// SPDX-License-Identifier: AGPL-3.0-or-later
#include "backends/ini/ini_profile_reader.h"

#include "backends/profile_file_backend.h"

namespace x2gobroker::backends::ini {
namespace {

core::RawEntry RawEntryFromIni(const core::IniEntry& entry) {
  core::RawEntry raw;
  raw.key = entry.key;
  raw.text = entry.value;
  raw.line = entry.line;
  // The builder refuses multi-line values: the reference would copy the LF into its output.
  raw.multiline = entry.continued;
  return raw;
}

}  // namespace

core::RawProfileSet RawProfilesFromIni(const core::IniDocument& doc, const std::string& source) {
  core::RawProfileSet set;
  set.source = source;
  for (const core::IniEntry& entry : doc.defaults.entries) set.defaults.push_back(RawEntryFromIni(entry));
  for (const core::IniSection& section : doc.sections) {
    core::RawProfile profile;
    profile.id = section.name;
    profile.line = section.line;
    for (const core::IniEntry& entry : section.entries) profile.entries.push_back(RawEntryFromIni(entry));
    set.profiles.push_back(std::move(profile));
  }
  return set;
}

core::Result<core::RawProfileSet> ParseIniProfiles(std::string_view text, const std::string& source) {
  core::Result<core::IniDocument> doc = core::ParseIni(text, source);
  if (!doc.ok()) return doc.status();
  return RawProfilesFromIni(doc.value(), source);
}

core::Result<core::RawProfileSet> ReadIniProfiles(const std::string& path) {
  std::string text;
  core::Status read = ReadProfileText(path, &text);
  if (!read.ok()) return read;
  return ParseIniProfiles(text, path);
}

}  // namespace x2gobroker::backends::ini
