// SPDX-License-Identifier: AGPL-3.0-or-later
// Test helpers: a complete, readable text form of typed profiles (every field of
// SessionProfile except `source`, which names the file) and the rendered plain/JSON answers,
// so that two profile sets can be compared with one CHECK and a useful diff.
#pragma once

#include <string>

#include "core/profile_renderer.h"
#include "core/python_json.h"
#include "core/session_profile.h"

namespace x2gobroker::testing {

inline std::string DescribeValue(const core::SettingValue& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return "s:" + *s;
  if (const auto* b = std::get_if<bool>(&v)) return *b ? "b:1" : "b:0";
  if (const auto* i = std::get_if<int64_t>(&v)) return "i:" + std::to_string(*i);
  std::string out = "l:[";
  for (const std::string& item : std::get<std::vector<std::string>>(v)) out += item + "|";
  return out + "]";
}

inline std::string DescribeNames(const std::vector<std::string>& names) {
  std::string out = "[";
  for (const std::string& n : names) out += n + "|";
  return out + "]";
}

inline std::string DescribeNetworks(const std::vector<core::IpNetwork>& networks) {
  std::string out = "[";
  for (const core::IpNetwork& n : networks) out += n.base.ToString() + "/" + std::to_string(n.prefix) + "|";
  return out + "]";
}

inline std::string DescribeProfile(const core::SessionProfile& p) {
  std::string out = "[" + p.id + "]\n";
  for (const core::Setting& s : p.settings) out += "  " + s.key + " = " + DescribeValue(s.value) + "\n";
  out += "  hosts " + DescribeNames(p.hosts) + "\n";
  for (const auto& [name, alias] : p.aliases) {
    // Appended piecewise: GCC 12 -O2 warns falsely (-Wrestrict) on `":" + std::to_string(...)`.
    out += "  alias " + name + " -> " + alias.address;
    if (alias.port) {
      out += ':';
      out += std::to_string(*alias.port);
    }
    out += '\n';
  }
  out += "  sshport " + std::to_string(p.sshport) + " command " + p.command + " name " + p.name + " directrdp " +
         (p.directrdp ? "1" : "0") + " user " + p.user + "\n";
  for (const auto& [key, value] : p.broker) out += "  broker " + key + " = " + value + "\n";
  const core::Acl& a = p.acl;
  out += "  acl users " + DescribeNames(a.users.allow) + " " + DescribeNames(a.users.deny) + " " + a.users.order + "\n";
  out += "  acl groups " + DescribeNames(a.groups.allow) + " " + DescribeNames(a.groups.deny) + " " + a.groups.order + "\n";
  out += "  acl clients " + DescribeNetworks(a.clients.allow) + " " + DescribeNetworks(a.clients.deny) + " " +
         a.clients.order + (a.clients.present ? " present" : "") + (a.clients.unparsable ? " unparsable" : "") + "\n";
  out += "  acl any " + a.any_order + "\n";
  return out;
}

inline std::string DescribeProfiles(const core::ProfileSet& set) {
  std::string out;
  for (const core::SessionProfilePtr& p : set.profiles) out += DescribeProfile(*p);
  return out;
}

// The plain listing body between START_USER_SESSIONS and END_USER_SESSIONS as the reference
// frames it, for broker user `user`, without an agent (the whole host list is rendered).
inline std::string RenderPlain(const core::ProfileSet& set, const std::string& user, bool autologin = false) {
  std::string out = "START_USER_SESSIONS\n\n";
  for (const core::SessionProfilePtr& p : set.profiles) {
    core::AppendPlainProfile(core::ProfileRendering{*p, user, autologin, nullptr, ""}, &out);
  }
  return out + "END_USER_SESSIONS\n";
}

inline std::string RenderJson(const core::ProfileSet& set, const std::string& user, bool autologin = false) {
  core::JsonValue::Object profiles;
  for (const core::SessionProfilePtr& p : set.profiles) {
    profiles.emplace_back(p->id, core::JsonProfile(core::ProfileRendering{*p, user, autologin, nullptr, ""}));
  }
  return core::DumpPythonJson(core::JsonValue(std::move(profiles)), 2);
}

}  // namespace x2gobroker::testing
