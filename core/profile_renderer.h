// SPDX-License-Identifier: AGPL-3.0-or-later
// Rendering of one session profile for one user (PROTOCOL.md §3.6 steps 3, 4, 6; §5.2; §6.2):
// the plain INI block X2Go Client reads and the typed JSON object Python X2Go reads. Both come
// from the same SessionProfile, so INI and YAML sources render identically. Thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/python_json.h"
#include "core/session_profile.h"

namespace x2gobroker::core {

// The per-request parts of a rendering.
struct ProfileRendering {
  const SessionProfile& profile;
  std::string_view user;                            // replaces user=BROKER_USER
  bool autologin = false;                           // append autologin=1 and the key placeholder
  const std::vector<std::string>* hosts = nullptr;  // host list to render; nullptr = the profile's
  std::string_view status;                          // "S", "R" or "" (none)
};

// Prepares profile.plain (called once per load by the profile builder).
PlainTemplate MakePlainTemplate(const SessionProfile& profile);

// Appends "[<id>]\n", one "key=value\n" per setting, then "\n".
void AppendPlainProfile(const ProfileRendering& r, std::string* out);

// The profile as a JSON object (keys are sorted when written).
JsonValue JsonProfile(const ProfileRendering& r);

// The placeholder the reference sends as `key` when session autologin is on.
inline constexpr std::string_view kAutologinKeyPlaceholder = "<will-be-exchanged-during-session-selection>";

}  // namespace x2gobroker::core
