// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/profile_builder.h"

#include <algorithm>
#include <set>

#include "core/host_alias.h"
#include "core/profile_defaults.h"
#include "core/profile_renderer.h"
#include "core/string_util.h"
#include "core/value_parser.h"

namespace x2gobroker::core {
namespace {

constexpr std::string_view kNotSet = "not-set";

bool IsAclListKey(std::string_view key) {
  static const std::set<std::string_view> kKeys = {"acl-users-allow",  "acl-users-deny",   "acl-groups-allow",
                                                   "acl-groups-deny",  "acl-clients-allow", "acl-clients-deny"};
  return kKeys.count(key) > 0;
}

bool HasControlCharacter(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

// Collects problems of one profile; the first error drops it.
class ProfileProblems {
 public:
  ProfileProblems(const std::string& source, std::vector<Diagnostic>* out) : source_(source), out_(out) {}
  void Error(int line, const std::string& text) {
    out_->push_back({Diagnostic::Severity::kError, Where(line) + text});
    failed_ = true;
  }
  void Warning(int line, const std::string& text) { out_->push_back({Diagnostic::Severity::kWarning, Where(line) + text}); }
  bool failed() const { return failed_; }

 private:
  std::string Where(int line) const { return source_ + ":" + std::to_string(line) + ": "; }
  const std::string& source_;
  std::vector<Diagnostic>* out_;
  bool failed_ = false;
};

// The list value of an entry: YAML items verbatim (trimmed), else the INI list rule.
std::optional<std::vector<std::string>> ListOf(const RawEntry& e) {
  if (e.items) {
    std::vector<std::string> items;
    for (const std::string& item : *e.items) items.emplace_back(Trim(item));
    return items;
  }
  return ParseList(e.text);
}

// A list entry that is only the empty string counts as absent (reference: `['']`).
std::vector<std::string> WithoutLoneEmpty(std::vector<std::string> items) {
  if (items.size() == 1 && items[0].empty()) items.clear();
  return items;
}

std::vector<std::string> WithoutEmptyItems(std::vector<std::string> items) {
  items.erase(std::remove(items.begin(), items.end(), std::string()), items.end());
  return items;
}

// Scalar text of an entry; a YAML sequence given for a scalar key is an error upstream.
const std::string& TextOf(const RawEntry& e) { return e.text; }

void ApplyAclEntry(const RawEntry& e, Acl& acl, ProfileProblems& problems) {
  const std::string& key = e.key;
  if (IsAclListKey(key)) {
    auto items = ListOf(e);
    if (!items) {
      problems.Error(e.line, "malformed list value of '" + key + "'");
      return;
    }
    std::vector<std::string> list = WithoutLoneEmpty(std::move(*items));
    if (key == "acl-users-allow") acl.users.allow = std::move(list);
    else if (key == "acl-users-deny") acl.users.deny = std::move(list);
    else if (key == "acl-groups-allow") acl.groups.allow = std::move(list);
    else if (key == "acl-groups-deny") acl.groups.deny = std::move(list);
    else {
      std::vector<IpNetwork>& target = key == "acl-clients-allow" ? acl.clients.allow : acl.clients.deny;
      target.clear();
      for (const std::string& item : list) {
        if (item == "ALL") {
          target.push_back(*IpNetwork::Parse("0.0.0.0/0"));
          target.push_back(*IpNetwork::Parse("::/0"));
        } else if (auto net = IpNetwork::Parse(item)) {
          target.push_back(*net);
        } else {
          acl.clients.unparsable = true;
          problems.Warning(e.line, "'" + item + "' in '" + key +
                                       "' is not an IP address or network: client ACLs of this profile deny everybody");
        }
      }
      if (!list.empty()) acl.clients.present = true;
    }
    return;
  }
  const std::string& text = TextOf(e);
  if (key == "acl-users-order" || key == "acl-groups-order" || key == "acl-clients-order" || key == "acl-any-order") {
    if (!text.empty() && text != "allow-deny" && text != "deny-allow") {
      problems.Warning(e.line, "'" + key + "' should be allow-deny or deny-allow; '" + text + "' acts as deny-allow");
    }
    if (key == "acl-users-order") acl.users.order = text;
    else if (key == "acl-groups-order") acl.groups.order = text;
    else if (key == "acl-clients-order") acl.clients.order = text;
    else if (!text.empty()) acl.any_order = text;
    return;
  }
  problems.Warning(e.line, "unknown ACL key '" + key + "' ignored");
}

void WarnUnreachableAllow(const std::vector<std::string>& deny, const std::string& order, const std::string& any_order,
                          const char* category, int line, ProfileProblems& problems) {
  const std::string& effective = order.empty() ? any_order : order;
  if (effective != "allow-deny" && std::find(deny.begin(), deny.end(), "ALL") != deny.end()) {
    problems.Warning(line, std::string("acl-") + category + "-deny contains ALL with order deny-allow: acl-" +
                               category + "-allow can never match (reference semantics, fail closed)");
  }
}

// Converts one entry to its rendered value. Returns false if the entry is removed (not-set).
bool TypedValue(const RawEntry& e, SettingValue* out, ProfileProblems& problems) {
  const ProfileDefault* def = FindProfileDefault(e.key);
  ValueType type = def ? def->type : ValueType::kString;
  if (e.items && type != ValueType::kList) {
    problems.Error(e.line, "'" + e.key + "' takes a single value, not a list");
    return false;
  }
  const std::string& text = e.text;
  if (!e.items && text == kNotSet) {
    if (e.key == "sshport") problems.Error(e.line, "'sshport' cannot be not-set");
    return false;
  }
  switch (type) {
    case ValueType::kString:
      *out = text;
      return true;
    case ValueType::kBool: {
      auto b = ParseBool(text);
      if (!b) {
        problems.Error(e.line, "'" + e.key + "' must be a boolean (1/yes/true/on or 0/no/false/off), not '" + text + "'");
        return false;
      }
      *out = *b;
      return true;
    }
    case ValueType::kInt: {
      auto i = ParseInt(text);
      if (!i) {
        problems.Error(e.line, "'" + e.key + "' must be an integer, not '" + text + "'");
        return false;
      }
      *out = *i;
      return true;
    }
    case ValueType::kList: {
      auto items = ListOf(e);
      if (!items) {
        problems.Error(e.line, "malformed list value of '" + e.key + "' (only ['a', \"b\"] literals are accepted)");
        return false;
      }
      *out = WithoutEmptyItems(std::move(*items));
      return true;
    }
  }
  return false;
}

SessionProfilePtr BuildOne(const RawProfile& raw, const RawProfileSet& set, const std::set<std::string>& ids,
                           std::vector<Diagnostic>* diagnostics) {
  ProfileProblems problems(set.source, diagnostics);
  auto profile = std::make_shared<SessionProfile>();
  profile->id = raw.id;
  profile->source = set.source + ":" + std::to_string(raw.line);

  if (HasControlCharacter(raw.id) || !IsValidUtf8(raw.id)) {
    problems.Error(raw.line, "profile id contains control characters or invalid UTF-8");
    return nullptr;
  }
  if (raw.id.find_first_of("&=%+#") != std::string::npos) {
    problems.Warning(raw.line, "profile id '" + raw.id + "' contains one of & = % + #: X2Go Client cannot select it");
  }

  // Step 1 of §3.6: own keys, then [DEFAULT] keys, then built-ins; first appearance wins.
  std::vector<const RawEntry*> merged;
  std::set<std::string> seen;
  auto take = [&](const RawEntry& e) {
    if (e.key == "default" || ids.count(e.key)) return;  // reference quirks: dropped keys
    if (seen.insert(e.key).second) merged.push_back(&e);
  };
  for (const RawEntry& e : raw.entries) take(e);
  for (const RawEntry& e : set.defaults) take(e);
  std::vector<RawEntry> builtins;
  builtins.reserve(BuiltinProfileDefaults().size());
  for (const ProfileDefault& d : BuiltinProfileDefaults()) {
    if (!seen.count(std::string(d.key))) builtins.push_back(RawEntry{std::string(d.key), std::string(d.text), {}, raw.line, false});
  }
  for (const RawEntry& e : builtins) take(e);

  std::vector<std::string> raw_hosts;
  int host_line = raw.line;
  bool have_hosts = false;
  for (const RawEntry* e : merged) {
    if (e->multiline) {
      problems.Error(e->line, "value of '" + e->key + "' spans several lines (continuation lines are not allowed)");
      continue;
    }
    if (HasControlCharacter(e->key) || HasControlCharacter(e->text) || !IsValidUtf8(e->key) || !IsValidUtf8(e->text)) {
      problems.Error(e->line, "'" + e->key + "' contains control characters or invalid UTF-8");
      continue;
    }
    if (e->items) {
      for (const std::string& item : *e->items) {
        if (HasControlCharacter(item) || !IsValidUtf8(item)) {
          problems.Error(e->line, "'" + e->key + "' contains control characters or invalid UTF-8");
        }
      }
    }
    if (StartsWith(e->key, "acl-")) {
      ApplyAclEntry(*e, profile->acl, problems);
      continue;
    }
    if (StartsWith(e->key, "broker-")) {
      if (e->items) {
        problems.Error(e->line, "'" + e->key + "' takes a single value, not a list");
      } else if (!e->text.empty()) {
        profile->broker[e->key.substr(7)] = e->text;
      }
      continue;
    }
    SettingValue value;
    if (!TypedValue(*e, &value, problems)) continue;
    if (e->key == "host") {
      raw_hosts = std::get<std::vector<std::string>>(value);
      host_line = e->line;
      have_hosts = true;
    } else if (e->key == "sshport") {
      profile->sshport = std::get<int64_t>(value);
      if (profile->sshport < 1 || profile->sshport > 65535) problems.Error(e->line, "'sshport' must be 1..65535");
    } else if (e->key == "command") {
      profile->command = std::get<std::string>(value);
    } else if (e->key == "name") {
      profile->name = std::get<std::string>(value);
    } else if (e->key == "directrdp") {
      profile->directrdp = std::get<bool>(value);
    } else if (e->key == "user") {
      profile->user = std::get<std::string>(value);
    }
    profile->settings.push_back(Setting{e->key, std::move(value)});
  }
  if (problems.failed()) return nullptr;

  // Host aliases (§3.5): only the alias name stays in the host list.
  for (const std::string& item : raw_hosts) {
    AliasParse alias = ParseHostAlias(item, profile->sshport);
    if (alias.kind == AliasParse::Kind::kInvalid) {
      problems.Error(host_line, "host alias '" + item + "' is unusable: " + alias.problem);
      continue;
    }
    profile->hosts.push_back(alias.name);
    if (alias.kind == AliasParse::Kind::kAlias) profile->aliases[alias.name] = alias.alias;
  }
  if (problems.failed()) return nullptr;
  if (have_hosts) {
    for (Setting& s : profile->settings) {
      if (s.key == "host") s.value = profile->hosts;
    }
  }

  // Step 5: desktop sessions run with rootless=false and an upper-case command.
  std::string upper = ToUpper(profile->command);
  if (IsDesktopCommand(upper)) {
    profile->command = upper;
    bool have_rootless = false;
    for (Setting& s : profile->settings) {
      if (s.key == "command") s.value = upper;
      if (s.key == "rootless") {
        s.value = false;
        have_rootless = true;
      }
    }
    if (!have_rootless) profile->settings.push_back(Setting{"rootless", false});
  }

  // broker-* switches: `1`/`true` in any case is on, anything else off (reference rule).
  auto switch_of = [&](const char* key) -> std::optional<bool> {
    const std::string* value = profile->BrokerOption(key);
    if (value == nullptr) return std::nullopt;
    std::string lower = ToLower(*value);
    return lower == "1" || lower == "true";
  };
  profile->session_autologin = switch_of("session-autologin");
  profile->portscan = switch_of("portscan-x2goservers");
  profile->plain = MakePlainTemplate(*profile);

  WarnUnreachableAllow(profile->acl.users.deny, profile->acl.users.order, profile->acl.any_order, "users", raw.line, problems);
  WarnUnreachableAllow(profile->acl.groups.deny, profile->acl.groups.order, profile->acl.any_order, "groups", raw.line, problems);
  return profile;
}

}  // namespace

bool IsProfileListKey(const std::string& key) {
  const ProfileDefault* def = FindProfileDefault(key);
  return (def && def->type == ValueType::kList) || IsAclListKey(key);
}

const SessionProfile* ProfileSet::Find(const std::string& id) const {
  auto it = std::lower_bound(profiles.begin(), profiles.end(), id,
                             [](const SessionProfilePtr& p, const std::string& key) { return p->id < key; });
  if (it == profiles.end() || (*it)->id != id) return nullptr;
  return it->get();
}

ProfileBuildResult BuildProfiles(const RawProfileSet& raw) {
  ProfileBuildResult result;
  std::set<std::string> ids;
  for (const RawProfile& p : raw.profiles) ids.insert(p.id);
  for (const RawProfile& p : raw.profiles) {
    if (SessionProfilePtr profile = BuildOne(p, raw, ids, &result.diagnostics)) {
      result.profiles.profiles.push_back(std::move(profile));
    }
  }
  // Code point order = byte order of UTF-8.
  std::sort(result.profiles.profiles.begin(), result.profiles.profiles.end(),
            [](const SessionProfilePtr& a, const SessionProfilePtr& b) { return a->id < b->id; });
  return result;
}

}  // namespace x2gobroker::core
