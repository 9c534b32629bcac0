// SPDX-License-Identifier: AGPL-3.0-or-later
// Reads an INI session-profile file (PROTOCOL.md §3.1, the reference's format) into a
// core::RawProfileSet: one profile per section, [DEFAULT] as the defaults, entries in file
// order with their lines. No typing here: core::BuildProfiles does that for INI and YAML alike.
// Stateless and thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/ini_parser.h"
#include "core/raw_profiles.h"
#include "core/status.h"

namespace x2gobroker::backends::ini {

// Converts a parsed document; `source` names the file in diagnostics.
core::RawProfileSet RawProfilesFromIni(const core::IniDocument& doc, const std::string& source);

// Parses `text`. On a syntax error, a duplicate section or a duplicate key returns
// InvalidArgument("<source>:<line>: problem").
core::Result<core::RawProfileSet> ParseIniProfiles(std::string_view text, const std::string& source);

// Reads and parses `path`; an unreadable or missing file is Unavailable.
core::Result<core::RawProfileSet> ReadIniProfiles(const std::string& path);

}  // namespace x2gobroker::backends::ini
