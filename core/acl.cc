// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/acl.h"

#include <algorithm>

namespace x2gobroker::core {
namespace {

enum class Verdict { kUndecided, kGranted, kDenied };

// One category with its order: the first word of the order wins when both lists match.
Verdict Decide(bool allow_matches, bool deny_matches, const std::string& order, const std::string& any_order) {
  const std::string& effective = order.empty() ? any_order : order;
  if (effective == "allow-deny") {
    if (allow_matches) return Verdict::kGranted;
    if (deny_matches) return Verdict::kDenied;
    return Verdict::kUndecided;
  }
  if (deny_matches) return Verdict::kDenied;
  if (allow_matches) return Verdict::kGranted;
  return Verdict::kUndecided;
}

bool ListHasAny(const std::vector<std::string>& list, const std::vector<std::string>& names) {
  for (const std::string& item : list) {
    if (std::find(names.begin(), names.end(), item) != names.end()) return true;
  }
  return false;
}

bool NetworksContain(const std::vector<IpNetwork>& networks, const IpAddress& address) {
  for (const IpNetwork& n : networks) {
    if (n.Contains(address)) return true;
  }
  return false;
}

}  // namespace

bool AclPermits(const Acl& acl, const AclSubject& subject, const GroupResolver& groups,
                bool ignore_primary_group_memberships) {
  if (acl.clients.present) {
    if (acl.clients.unparsable || subject.client == nullptr) return false;
    Verdict v = Decide(NetworksContain(acl.clients.allow, *subject.client),
                       NetworksContain(acl.clients.deny, *subject.client), acl.clients.order, acl.any_order);
    if (v != Verdict::kGranted) return false;
  }
  if (!acl.users.Present() && !acl.groups.Present()) return true;

  Verdict user_verdict = Verdict::kUndecided;
  if (acl.users.Present()) {
    const std::vector<std::string> names = {subject.user, "ALL"};
    user_verdict = Decide(ListHasAny(acl.users.allow, names), ListHasAny(acl.users.deny, names), acl.users.order,
                          acl.any_order);
    if (user_verdict == Verdict::kGranted) return true;
  }
  if (acl.groups.Present()) {
    std::vector<std::string> names = groups.GroupsOf(subject.user, !ignore_primary_group_memberships);
    names.push_back("ALL");
    Verdict group_verdict = Decide(ListHasAny(acl.groups.allow, names), ListHasAny(acl.groups.deny, names),
                                   acl.groups.order, acl.any_order);
    if (group_verdict == Verdict::kGranted && user_verdict != Verdict::kDenied) return true;
  }
  return false;
}

}  // namespace x2gobroker::core
