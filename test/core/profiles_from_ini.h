// SPDX-License-Identifier: AGPL-3.0-or-later
// Test helper: INI text → RawProfileSet → ProfileBuildResult, without the inifile backend.
#pragma once

#include <doctest/doctest.h>

#include <string>

#include "core/ini_parser.h"
#include "core/profile_builder.h"

namespace x2gobroker::test {

inline core::RawProfileSet RawFromIni(const std::string& text) {
  auto doc = core::ParseIni(text, "profiles.conf");
  REQUIRE(doc.ok());
  core::RawProfileSet raw;
  raw.source = "profiles.conf";
  for (const core::IniEntry& e : doc->defaults.entries) raw.defaults.push_back({e.key, e.value, {}, e.line, e.continued});
  for (const core::IniSection& s : doc->sections) {
    core::RawProfile p{s.name, s.line, {}};
    for (const core::IniEntry& e : s.entries) p.entries.push_back({e.key, e.value, {}, e.line, e.continued});
    raw.profiles.push_back(std::move(p));
  }
  return raw;
}

inline core::ProfileBuildResult ProfilesFromIni(const std::string& text) { return core::BuildProfiles(RawFromIni(text)); }

}  // namespace x2gobroker::test
