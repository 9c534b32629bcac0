// SPDX-License-Identifier: AGPL-3.0-or-later
// RawProfileSet: session profiles as read from a file, before any typing. The INI and YAML
// backends both produce it, and core/profile_builder turns it into SessionProfiles, so that an
// equivalent INI/YAML pair renders byte-identically (PROTOCOL.md §3.7). Plain data.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace x2gobroker::core {

struct RawEntry {
  // The full INI key, prefixes included ("acl-users-allow", "broker-session-autologin").
  std::string key;
  // Source text of a scalar value, already trimmed.
  std::string text;
  // Set when the source gave a sequence (YAML); the items are used as the list verbatim.
  std::optional<std::vector<std::string>> items;
  int line = 0;
  // The value spanned several lines (INI continuation): rejected for profiles.
  bool multiline = false;
};

struct RawProfile {
  std::string id;
  int line = 0;
  std::vector<RawEntry> entries;  // source order
};

struct RawProfileSet {
  std::string source;               // file name, for diagnostics
  std::vector<RawEntry> defaults;   // [DEFAULT] / `defaults:` in source order
  std::vector<RawProfile> profiles; // source order
};

}  // namespace x2gobroker::core
