// SPDX-License-Identifier: AGPL-3.0-or-later
// The built-in session profile defaults of the reference, in their order (PROTOCOL.md §3.2).
// Their order is the tail of every rendered profile; their types type the keys.
#pragma once

#include <span>
#include <string_view>

namespace x2gobroker::core {

enum class ValueType { kString, kBool, kInt, kList };

struct ProfileDefault {
  std::string_view key;
  ValueType type;
  std::string_view text;  // the default as INI text
};

std::span<const ProfileDefault> BuiltinProfileDefaults();
// The default for `key`, or nullptr.
const ProfileDefault* FindProfileDefault(std::string_view key);

// Desktop session names whose command is upper-cased and forces rootless=false (§3.6 step 5).
bool IsDesktopCommand(std::string_view upper_command);

}  // namespace x2gobroker::core
