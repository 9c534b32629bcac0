// SPDX-License-Identifier: AGPL-3.0-or-later
// SessionProfile: one typed, validated session profile, ready to be rendered (PROTOCOL.md §3).
// Built once per load by core/profile_builder and then shared read-only by all threads.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/acl.h"

namespace x2gobroker::core {

// A rendered value: string (verbatim), bool, int or list (PROTOCOL.md §3.2).
using SettingValue = std::variant<std::string, bool, int64_t, std::vector<std::string>>;

struct Setting {
  std::string key;
  SettingValue value;
};

// `name (address:port)` in a host list (PROTOCOL.md §3.5).
struct HostAlias {
  std::string address;
  std::optional<int64_t> port;  // set only when it differs from the profile's sshport
};

// The plain rendering (§5.2) of a profile, prepared at load: literal pieces with the per-request
// parts (the user name for user=BROKER_USER, the host list) in between. Rendering a listing is
// then a few appends per profile instead of one per setting.
struct PlainTemplate {
  enum class Hole { kUser, kHosts };
  std::vector<std::string> pieces;  // pieces.size() == holes.size() + 1
  std::vector<Hole> holes;
  bool usable = false;  // false if a configured key collides with an appended one (autologin, key, status)
};

struct SessionProfile {
  std::string id;
  std::string source;  // "file:line" of the profile, for logs
  // Rendered settings in rendering order (§3.6 steps 1, 2, 5 applied; `user` still holds the
  // configured text, `host` the alias names). acl-*, broker-*, derived keys are not here.
  std::vector<Setting> settings;
  std::vector<std::string> hosts;            // host list (alias names), empty items removed
  std::map<std::string, HostAlias> aliases;  // name → alias target
  int64_t sshport = 22;
  std::string command;                       // after desktop upper-casing
  std::string name;                          // `name` setting or ""
  bool directrdp = false;
  std::string user;                          // configured `user` text (may be BROKER_USER)
  std::map<std::string, std::string> broker; // broker-* keys without prefix, empty ones dropped
  // broker-session-autologin / broker-portscan-x2goservers when set (`1`/`true` any case = on).
  std::optional<bool> session_autologin;
  std::optional<bool> portscan;
  Acl acl;
  PlainTemplate plain;

  bool IsShadow() const { return command == "SHADOW"; }
  // Value of broker-<key>, or nullptr.
  const std::string* BrokerOption(const std::string& key) const {
    auto it = broker.find(key);
    return it == broker.end() ? nullptr : &it->second;
  }
};

using SessionProfilePtr = std::shared_ptr<const SessionProfile>;

// All profiles of one backend, sorted by id (code point order).
struct ProfileSet {
  std::vector<SessionProfilePtr> profiles;
  const SessionProfile* Find(const std::string& id) const;
};

}  // namespace x2gobroker::core
