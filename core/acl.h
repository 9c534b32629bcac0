// SPDX-License-Identifier: AGPL-3.0-or-later
// Profile ACLs (PROTOCOL.md §4.5): users, groups and client addresses, each with an allow list,
// a deny list and an order. The reference's semantics are kept (fail closed); deliberate
// differences: a category without its own order uses acl-any-order, and IPv4-mapped peers
// match IPv4 networks. Acl is a value type; AclPermits is thread-safe if the GroupResolver is.
#pragma once

#include <string>
#include <vector>

#include "core/ip_address.h"

namespace x2gobroker::core {

struct NameAcl {
  std::vector<std::string> allow;  // names or ALL; empty items removed
  std::vector<std::string> deny;
  std::string order;               // "allow-deny", "deny-allow" or "" (→ acl-any-order)
  bool Present() const { return !allow.empty() || !deny.empty(); }
};

struct ClientAcl {
  std::vector<IpNetwork> allow;  // ALL expands to 0.0.0.0/0 and ::/0
  std::vector<IpNetwork> deny;
  std::string order;
  bool present = false;     // either list had an item
  bool unparsable = false;  // an item was not an address/network: the category always denies
};

struct Acl {
  NameAcl users;
  NameAcl groups;
  ClientAcl clients;
  std::string any_order = "deny-allow";
};

// Looks up the groups of a user through NSS (or a fake in tests). Thread-safe.
class GroupResolver {
 public:
  virtual ~GroupResolver() = default;
  // The names of the groups listing `user` as a member, plus its primary group when
  // `include_primary`. Unknown users have no groups.
  virtual std::vector<std::string> GroupsOf(const std::string& user, bool include_primary) const = 0;
};

struct AclSubject {
  const std::string& user;
  const IpAddress* client;  // nullptr if the peer address is unknown (debug mode): client ACLs deny
};

// Decides whether `subject` may use a profile with `acl`.
bool AclPermits(const Acl& acl, const AclSubject& subject, const GroupResolver& groups,
                bool ignore_primary_group_memberships);

}  // namespace x2gobroker::core
