// SPDX-License-Identifier: AGPL-3.0-or-later
// Shared by the profile fuzz targets: build typed profiles and render each in both formats.
#pragma once

#include <string>

#include "core/profile_builder.h"
#include "core/profile_renderer.h"
#include "core/python_json.h"

namespace x2gobroker::test {

inline void BuildAndRenderAll(const core::RawProfileSet& raw) {
  core::ProfileBuildResult built = core::BuildProfiles(raw);
  std::string out;
  for (const core::SessionProfilePtr& p : built.profiles.profiles) {
    core::ProfileRendering r{*p, "fuzz", true, nullptr, "S"};
    core::AppendPlainProfile(r, &out);
    core::WritePythonJson(core::JsonProfile(r), 4, &out);
    // The prepared template must render exactly like the setting-by-setting path.
    core::SessionProfile slow = *p;
    slow.plain.usable = false;
    std::string fast_text, slow_text;
    core::AppendPlainProfile(r, &fast_text);
    core::AppendPlainProfile(core::ProfileRendering{slow, "fuzz", true, nullptr, "S"}, &slow_text);
    if (fast_text != slow_text) __builtin_trap();
  }
}

}  // namespace x2gobroker::test
