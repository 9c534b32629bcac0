// SPDX-License-Identifier: AGPL-3.0-or-later
// Reads a YAML session-profile file (PROTOCOL.md §3.7, our extension) into the same
// core::RawProfileSet an equivalent INI file gives, so both render byte-identically:
//   defaults:            optional map, the [DEFAULT] equivalent
//   profiles:            map of profile id → map of keys
//     <id>:
//       <key>: <scalar>  any INI key; sequences only for list keys (host, applications,
//                        acl allow/deny lists)
//       acl:    {...}    → acl-<key> entries      broker: {...} → broker-<key> entries
// Every scalar keeps its source text (node.Scalar()), never YAML's typing: `true` stays the
// text "true" and is typed later by the INI rules; null or empty is "". Duplicate ids or keys,
// a sequence for a single-valued key, a map anywhere else or any other top-level key fail the
// whole file with "file:line: problem". Stateless and thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/raw_profiles.h"
#include "core/status.h"

namespace x2gobroker::backends::yaml {

// Parses `text`; `source` names the file in diagnostics. Failure: InvalidArgument.
core::Result<core::RawProfileSet> ParseYamlProfiles(std::string_view text, const std::string& source);

// Reads and parses `path`; an unreadable or missing file is Unavailable.
core::Result<core::RawProfileSet> ReadYamlProfiles(const std::string& path);

}  // namespace x2gobroker::backends::yaml
