// SPDX-License-Identifier: AGPL-3.0-or-later
// Parsing of host list items, `name` or `name (address[:port])` (PROTOCOL.md §3.5), and the
// host name rules the reference applies to alias names and targets. Pure, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/session_profile.h"

namespace x2gobroker::core {

struct AliasParse {
  enum class Kind { kPlain, kAlias, kInvalid };
  Kind kind = Kind::kPlain;
  std::string name;     // what stays in the host list
  HostAlias alias;      // for kAlias
  std::string problem;  // for kInvalid
};

// `default_port` is the profile's sshport; an alias port equal to it is not recorded.
AliasParse ParseHostAlias(std::string_view item, int64_t default_port);

// A single DNS label: [A-Za-z0-9-]{1,63} without a leading or trailing '-'.
bool IsDnsLabel(std::string_view s);
// The reference's host name rule: labels starting with a letter, ending in a 2+ letter TLD.
bool IsReferenceHostname(std::string_view s);

}  // namespace x2gobroker::core
