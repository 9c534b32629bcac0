// SPDX-License-Identifier: AGPL-3.0-or-later
// NssGroupResolver: group memberships through NSS (files, LDAP, sssd, ...) with getgrouplist(3),
// cached per user for a short time so that a listing of many profiles costs one lookup, while
// membership changes still show up within seconds (unlike the reference's per-process snapshot).
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "core/acl.h"

namespace x2gobroker::core {

class NssGroupResolver final : public GroupResolver {
 public:
  explicit NssGroupResolver(std::chrono::seconds ttl = std::chrono::seconds(30)) : ttl_(ttl) {}
  // core::GroupResolver
  std::vector<std::string> GroupsOf(const std::string& user, bool include_primary) const override;

 private:
  struct Entry {
    std::chrono::steady_clock::time_point expires;
    std::vector<std::string> member_of;  // groups listing the user (may include the primary one)
    std::string primary;                 // primary group name, "" if unknown
  };
  Entry Lookup(const std::string& user) const;

  std::chrono::seconds ttl_;
  mutable std::mutex mutex_;
  mutable std::map<std::string, Entry> cache_;
};

}  // namespace x2gobroker::core
