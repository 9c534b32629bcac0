// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/nss_group_resolver.h"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace x2gobroker::core {
namespace {

constexpr size_t kMaxCachedUsers = 4096;  // bounds memory when many distinct names are tried

bool GroupById(gid_t gid, std::string* name, std::vector<std::string>* members) {
  std::vector<char> buf(16384);
  group gr{};
  group* found = nullptr;
  while (getgrgid_r(gid, &gr, buf.data(), buf.size(), &found) == ERANGE && buf.size() < (1u << 24)) {
    buf.resize(buf.size() * 2);
  }
  if (found == nullptr) return false;
  *name = gr.gr_name;
  if (members) {
    for (char** m = gr.gr_mem; m && *m; ++m) members->emplace_back(*m);
  }
  return true;
}

}  // namespace

NssGroupResolver::Entry NssGroupResolver::Lookup(const std::string& user) const {
  Entry entry;
  entry.expires = std::chrono::steady_clock::now() + ttl_;
  if (user.empty() || user.find('\0') != std::string::npos) return entry;
  std::vector<char> buf(16384);
  passwd pw{};
  passwd* found = nullptr;
  while (getpwnam_r(user.c_str(), &pw, buf.data(), buf.size(), &found) == ERANGE && buf.size() < (1u << 24)) {
    buf.resize(buf.size() * 2);
  }
  if (found == nullptr) return entry;
  const gid_t primary = pw.pw_gid;
  std::vector<gid_t> gids(64);
  int count = static_cast<int>(gids.size());
  while (getgrouplist(user.c_str(), primary, gids.data(), &count) < 0) {
    if (count <= static_cast<int>(gids.size())) count = static_cast<int>(gids.size()) * 2;
    gids.resize(static_cast<size_t>(count));
  }
  gids.resize(static_cast<size_t>(count));
  for (gid_t gid : gids) {
    std::string name;
    if (gid == primary) {
      // getgrouplist always reports the primary group; it counts as a listed membership only
      // if the group's member list names the user.
      std::vector<std::string> members;
      if (!GroupById(gid, &name, &members)) continue;
      entry.primary = name;
      if (std::find(members.begin(), members.end(), user) != members.end()) entry.member_of.push_back(name);
    } else if (GroupById(gid, &name, nullptr)) {
      entry.member_of.push_back(name);
    }
  }
  return entry;
}

std::vector<std::string> NssGroupResolver::GroupsOf(const std::string& user, bool include_primary) const {
  Entry entry;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = cache_.find(user);
    if (it != cache_.end() && it->second.expires > std::chrono::steady_clock::now()) entry = it->second;
    else entry.expires = {};
  }
  if (entry.expires == std::chrono::steady_clock::time_point{}) {
    entry = Lookup(user);  // outside the lock: NSS may be slow (LDAP)
    std::lock_guard<std::mutex> lock(mutex_);
    if (cache_.size() >= kMaxCachedUsers) cache_.clear();
    cache_[user] = entry;
  }
  std::vector<std::string> groups = entry.member_of;
  if (include_primary && !entry.primary.empty() &&
      std::find(groups.begin(), groups.end(), entry.primary) == groups.end()) {
    groups.push_back(entry.primary);
  }
  return groups;
}

}  // namespace x2gobroker::core
