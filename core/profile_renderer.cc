// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/profile_renderer.h"

namespace x2gobroker::core {
namespace {

// The value of a setting after the per-request substitutions. Keys the broker appends
// (autologin, key, status) replace a configured value in place, like the reference's dict update.
const SettingValue* Substituted(const Setting& s, const ProfileRendering& r, SettingValue* scratch) {
  if (r.autologin && s.key == "autologin") {
    *scratch = true;
    return scratch;
  }
  if (r.autologin && s.key == "key") {
    *scratch = std::string(kAutologinKeyPlaceholder);
    return scratch;
  }
  if (!r.status.empty() && s.key == "status") {
    *scratch = std::string(r.status);
    return scratch;
  }
  if (s.key == "user") {
    const std::string& text = std::get<std::string>(s.value);
    if (text == "BROKER_USER") {
      *scratch = std::string(r.user);
      return scratch;
    }
  } else if (s.key == "host" && r.hosts != nullptr) {
    *scratch = *r.hosts;
    return scratch;
  }
  return &s.value;
}

bool HasSetting(const SessionProfile& p, std::string_view key) {
  for (const Setting& s : p.settings) {
    if (s.key == key) return true;
  }
  return false;
}

void AppendPlainValue(const SettingValue& v, std::string* out) {
  if (const std::string* s = std::get_if<std::string>(&v)) {
    out->append(*s);
  } else if (const bool* b = std::get_if<bool>(&v)) {
    out->push_back(*b ? '1' : '0');
  } else if (const int64_t* i = std::get_if<int64_t>(&v)) {
    out->append(std::to_string(*i));
  } else {
    const auto& items = std::get<std::vector<std::string>>(v);
    for (size_t k = 0; k < items.size(); ++k) {
      if (k) out->push_back(',');
      out->append(items[k]);
    }
  }
}

JsonValue JsonOf(const SettingValue& v) {
  if (const std::string* s = std::get_if<std::string>(&v)) return JsonValue(*s);
  if (const bool* b = std::get_if<bool>(&v)) return JsonValue(*b);
  if (const int64_t* i = std::get_if<int64_t>(&v)) return JsonValue(*i);
  JsonValue::Array items;
  for (const std::string& item : std::get<std::vector<std::string>>(v)) items.emplace_back(item);
  return JsonValue(std::move(items));
}

void AppendHosts(const std::vector<std::string>& hosts, std::string* out) {
  for (size_t k = 0; k < hosts.size(); ++k) {
    if (k) out->push_back(',');
    out->append(hosts[k]);
  }
}

void AppendTail(const ProfileRendering& r, bool has_autologin, bool has_key, bool has_status, std::string* out) {
  if (r.autologin && !has_autologin) out->append("autologin=1\n");
  if (r.autologin && !has_key) {
    out->append("key=");
    out->append(kAutologinKeyPlaceholder);
    out->push_back('\n');
  }
  if (!r.status.empty() && !has_status) {
    out->append("status=");
    out->append(r.status);
    out->push_back('\n');
  }
  out->push_back('\n');
}

void AppendPlainProfileSlowly(const ProfileRendering& r, std::string* out) {
  out->push_back('[');
  out->append(r.profile.id);
  out->append("]\n");
  SettingValue scratch;
  for (const Setting& s : r.profile.settings) {
    out->append(s.key);
    out->push_back('=');
    AppendPlainValue(*Substituted(s, r, &scratch), out);
    out->push_back('\n');
  }
  AppendTail(r, HasSetting(r.profile, "autologin"), HasSetting(r.profile, "key"), HasSetting(r.profile, "status"), out);
}

}  // namespace

PlainTemplate MakePlainTemplate(const SessionProfile& profile) {
  PlainTemplate t;
  t.usable = !HasSetting(profile, "autologin") && !HasSetting(profile, "key") && !HasSetting(profile, "status");
  std::string piece;  // the "[<id>]" line is written per request: generated ids (zeroconf) change
  for (const Setting& s : profile.settings) {
    piece += s.key;
    piece += '=';
    if (s.key == "user" && std::get<std::string>(s.value) == "BROKER_USER") {
      t.pieces.push_back(std::move(piece));
      t.holes.push_back(PlainTemplate::Hole::kUser);
      piece.clear();
    } else if (s.key == "host") {
      t.pieces.push_back(std::move(piece));
      t.holes.push_back(PlainTemplate::Hole::kHosts);
      piece.clear();
    } else {
      AppendPlainValue(s.value, &piece);
    }
    piece += '\n';
  }
  t.pieces.push_back(std::move(piece));
  return t;
}

void AppendPlainProfile(const ProfileRendering& r, std::string* out) {
  const PlainTemplate& t = r.profile.plain;
  if (t.usable && t.pieces.size() == t.holes.size() + 1) {
    const std::vector<std::string>& hosts = r.hosts ? *r.hosts : r.profile.hosts;
    out->push_back('[');
    out->append(r.profile.id);
    out->append("]\n");
    for (size_t k = 0; k < t.holes.size(); ++k) {
      out->append(t.pieces[k]);
      if (t.holes[k] == PlainTemplate::Hole::kUser) out->append(r.user);
      else AppendHosts(hosts, out);
    }
    out->append(t.pieces.back());
    AppendTail(r, false, false, false, out);
    return;
  }
  AppendPlainProfileSlowly(r, out);
}

JsonValue JsonProfile(const ProfileRendering& r) {
  JsonValue::Object members;
  members.reserve(r.profile.settings.size() + 3);
  SettingValue scratch;
  for (const Setting& s : r.profile.settings) members.emplace_back(s.key, JsonOf(*Substituted(s, r, &scratch)));
  if (r.autologin && !HasSetting(r.profile, "autologin")) members.emplace_back("autologin", JsonValue(true));
  if (r.autologin && !HasSetting(r.profile, "key")) {
    members.emplace_back("key", JsonValue(std::string(kAutologinKeyPlaceholder)));
  }
  if (!r.status.empty() && !HasSetting(r.profile, "status")) members.emplace_back("status", JsonValue(std::string(r.status)));
  return JsonValue(std::move(members));
}

}  // namespace x2gobroker::core
