// SPDX-License-Identifier: AGPL-3.0-or-later
// libFuzzer target: any INI text goes through the parser, the profile builder and both
// renderers without crashing; what the builder accepts renders to valid output.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/ini_parser.h"
#include "core/profile_builder.h"
#include "core/profile_renderer.h"
#include "core/python_json.h"

using namespace x2gobroker::core;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto doc = ParseIni(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.conf");
  if (!doc.ok()) return 0;
  RawProfileSet raw;
  raw.source = "fuzz.conf";
  for (const IniEntry& e : doc->defaults.entries) raw.defaults.push_back({e.key, e.value, {}, e.line, e.continued});
  for (const IniSection& s : doc->sections) {
    RawProfile p{s.name, s.line, {}};
    for (const IniEntry& e : s.entries) p.entries.push_back({e.key, e.value, {}, e.line, e.continued});
    raw.profiles.push_back(std::move(p));
  }
  ProfileBuildResult built = BuildProfiles(raw);
  std::string out;
  for (const SessionProfilePtr& p : built.profiles.profiles) {
    ProfileRendering r{*p, "fuzz", true, nullptr, "S"};
    AppendPlainProfile(r, &out);
    WritePythonJson(JsonProfile(r), 4, &out);
  }
  return 0;
}
