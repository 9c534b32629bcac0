// SPDX-License-Identifier: AGPL-3.0-or-later
#include "backends/yaml/yaml_profile_reader.h"

#include <yaml-cpp/yaml.h>

#include <set>
#include <vector>

#include "backends/profile_file_backend.h"
#include "core/profile_builder.h"
#include "core/string_util.h"

namespace x2gobroker::backends::yaml {
namespace {

// Sub-maps that stand for a key prefix (§3.7): `acl: {users-allow: ...}` is `acl-users-allow`.
constexpr std::string_view kPrefixMaps[] = {"acl", "broker"};

bool IsPrefixMap(std::string_view key) {
  for (std::string_view p : kPrefixMaps) {
    if (key == p) return true;
  }
  return false;
}

// yaml-cpp throws; this reader reports the first problem as a Status instead. Every problem is
// fatal for the file (PROTOCOL.md §13: "cannot be parsed at all"), so unwinding is the simplest
// way out of the nested walk; nothing escapes ParseYamlProfiles.
struct LoadError {
  core::Status status;
};

class Reader {
 public:
  explicit Reader(const std::string& source) : source_(source) {}

  core::RawProfileSet Read(std::string_view text) {
    core::RawProfileSet set;
    set.source = source_;
    std::vector<YAML::Node> documents = YAML::LoadAll(std::string(text));
    if (documents.size() > 1) Fail(documents[1], "only one YAML document is allowed");
    if (documents.empty() || documents[0].IsNull()) return set;  // empty file: no profiles
    const YAML::Node& root = documents[0];
    if (!root.IsMap()) Fail(root, "the top level must be a map with 'defaults:' and 'profiles:'");

    std::set<std::string> seen;
    for (const auto& item : root) {
      std::string key = KeyText(item.first);
      if (!seen.insert(key).second) Fail(item.first, "duplicate top-level key '" + key + "'");
      if (key == "defaults") {
        std::set<std::string> default_keys;
        ReadEntries(item.second, item.first, "'defaults'", &set.defaults, &default_keys);
      } else if (key == "profiles") {
        ReadProfiles(item.second, item.first, &set);
      } else {
        Fail(item.first, "unknown top-level key '" + key + "' (expected 'defaults' or 'profiles')");
      }
    }
    return set;
  }

 private:
  // yaml-cpp lines are 0-based; a node without a position (e.g. an implicit null) has line -1.
  static int LineOf(const YAML::Node& node, int fallback = 0) {
    int line = node.Mark().line;
    return line >= 0 ? line + 1 : fallback;
  }

  [[noreturn]] void Fail(int line, const std::string& problem) const {
    throw LoadError{core::InvalidArgument(source_ + ":" + std::to_string(line) + ": " + problem)};
  }
  [[noreturn]] void Fail(const YAML::Node& at, const std::string& problem) const { Fail(LineOf(at, 1), problem); }

  std::string KeyText(const YAML::Node& key) const {
    if (key.IsNull()) Fail(key, "empty key");
    if (!key.IsScalar()) Fail(key, "keys must be scalars");
    std::string text(core::Trim(key.Scalar()));
    if (text.empty()) Fail(key, "empty key");
    if (text == "<<") Fail(key, "YAML merge keys (<<) are not supported; repeat the keys or use 'defaults:'");
    return text;
  }

  void ReadProfiles(const YAML::Node& profiles, const YAML::Node& at, core::RawProfileSet* set) const {
    if (profiles.IsNull()) return;
    if (!profiles.IsMap()) Fail(LineOf(profiles, LineOf(at)), "'profiles' must be a map of profile id to profile");
    std::set<std::string> ids;
    for (const auto& item : profiles) {
      core::RawProfile profile;
      profile.id = KeyText(item.first);
      profile.line = LineOf(item.first);
      // In INI, [DEFAULT] is the defaults section; a profile of that name could not be written.
      if (profile.id == "DEFAULT") Fail(item.first, "profile id 'DEFAULT' is reserved; use 'defaults:'");
      if (!ids.insert(profile.id).second) Fail(item.first, "duplicate profile id '" + profile.id + "'");
      std::set<std::string> keys;
      ReadEntries(item.second, item.first, "profile '" + profile.id + "'", &profile.entries, &keys);
      set->profiles.push_back(std::move(profile));
    }
  }

  // Reads a profile map (or `defaults:`), expanding acl:/broker: sub-maps. `keys` collects the
  // full key names so that `acl: {users-allow}` and `acl-users-allow` collide as duplicates.
  void ReadEntries(const YAML::Node& map, const YAML::Node& at, const std::string& what,
                   std::vector<core::RawEntry>* out, std::set<std::string>* keys) const {
    if (map.IsNull()) return;  // `alpha:` with nothing below: a profile of built-in defaults
    if (!map.IsMap()) Fail(LineOf(map, LineOf(at)), what + " must be a map of keys");
    for (const auto& item : map) {
      std::string key = KeyText(item.first);
      if (IsPrefixMap(key)) {
        ReadPrefixMap(key, item.second, item.first, out, keys);
      } else {
        out->push_back(Entry(key, item.first, item.second, keys));
      }
    }
  }

  void ReadPrefixMap(const std::string& prefix, const YAML::Node& map, const YAML::Node& at,
                     std::vector<core::RawEntry>* out, std::set<std::string>* keys) const {
    if (map.IsNull()) return;
    if (!map.IsMap()) {
      Fail(LineOf(map, LineOf(at)), "'" + prefix + ":' must be a map (e.g. '" + prefix + ": {" +
                                        (prefix == "acl" ? "users-allow" : "session-autologin") + ": ...}')");
    }
    for (const auto& item : map) {
      out->push_back(Entry(prefix + "-" + KeyText(item.first), item.first, item.second, keys));
    }
  }

  core::RawEntry Entry(const std::string& key, const YAML::Node& key_node, const YAML::Node& value,
                       std::set<std::string>* keys) const {
    core::RawEntry entry;
    entry.key = key;
    entry.line = LineOf(key_node);
    if (!keys->insert(key).second) Fail(entry.line, "duplicate key '" + key + "'");
    if (value.IsNull()) return entry;  // `key:` or `key: ~`: the empty string, as `key=` in INI
    if (value.IsScalar()) {
      entry.text = std::string(core::Trim(value.Scalar()));
      entry.multiline = entry.text.find_first_of("\r\n") != std::string::npos;
      return entry;
    }
    if (value.IsSequence()) {
      if (!core::IsProfileListKey(key)) {
        Fail(entry.line, "'" + key + "' takes a single value, not a sequence (only host, applications and "
                         "acl allow/deny lists are lists)");
      }
      std::vector<std::string> items;
      for (const YAML::Node& element : value) {
        if (element.IsNull()) {
          items.emplace_back();
        } else if (element.IsScalar()) {
          items.push_back(element.Scalar());
        } else {
          Fail(LineOf(element, entry.line), "items of '" + key + "' must be scalars");
        }
      }
      entry.items = std::move(items);
      return entry;
    }
    Fail(entry.line, "'" + key + "' cannot take a map (only 'acl:' and 'broker:' are maps)");
  }

  const std::string& source_;
};

}  // namespace

core::Result<core::RawProfileSet> ParseYamlProfiles(std::string_view text, const std::string& source) {
  try {
    return Reader(source).Read(text);
  } catch (const LoadError& e) {
    return e.status;
  } catch (const YAML::Exception& e) {
    int line = e.mark.is_null() ? 1 : e.mark.line + 1;
    return core::InvalidArgument(source + ":" + std::to_string(line) + ": YAML syntax error: " + e.msg);
  } catch (const std::exception& e) {
    return core::InvalidArgument(source + ": cannot read YAML: " + e.what());
  }
}

core::Result<core::RawProfileSet> ReadYamlProfiles(const std::string& path) {
  std::string text;
  core::Status read = ReadProfileText(path, &text);
  if (!read.ok()) return read;
  return ParseYamlProfiles(text, path);
}

}  // namespace x2gobroker::backends::yaml
