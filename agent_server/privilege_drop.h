// SPDX-License-Identifier: AGPL-3.0-or-later
// Who may run the agent, which users it may act for, and the one-way drop to them
// (issue #6 item 3).
//
// Privilege model. The binary is installed like Debian's: setuid root, mode 4750, group
// x2gobroker, at /usr/lib/x2go/x2gobroker-agent, so only members of that group can start it at
// all. Setuid root rather than file capabilities (cap_setuid,cap_setgid+ep) because
//   * the drop needs CAP_SETUID and CAP_SETGID, which already allow becoming any user, root
//     included: capabilities would not make the binary less powerful, only less familiar;
//   * file capabilities are lost by plain copies, some package tools and file systems (NFS,
//     overlay set-ups), and sites audit setuid binaries with the tools they know;
//   * it is exactly what the package it replaces does (dpkg-statoverride, same mode and group).
// What limits the power is what the program does with it: it checks that its real uid is
// x2gobroker (or root), validates the whole request BEFORE using any privilege, reads its own
// config as root, then drops for good — to the target user for per-user tasks, to the caller
// for the others — before it runs any tool or touches any user file. Nothing privileged
// happens after the drop, so no privileged parent process is kept around (no fork needed).
// Run without setuid (euid != 0) it can act only for the invoking user itself.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "core/status.h"

namespace x2gobroker::agent_server {

struct TargetUser {
  std::string name;
  uid_t uid = 0;
  gid_t gid = 0;
  std::string home;
  std::vector<gid_t> groups;  // supplementary groups (getgrouplist), primary included
};

// PermissionDenied if the process is privileged (euid 0) and its real uid is neither 0 nor the
// uid of `broker_account`.
core::Status CheckCaller(const char* broker_account);

// NotFound if `name` does not exist; PermissionDenied if its uid is 0 or below `min_uid`.
core::Result<TargetUser> LookupTargetUser(const std::string& name, uid_t min_uid);

// Sets the supplementary groups, then real/effective/saved gid, then uid to `user`'s, and checks
// that the old identity cannot be regained. Without privileges (euid != 0) succeeds only if the
// process already is `user`. Internal if a step fails (the caller must then stop).
core::Status DropTo(const TargetUser& user);

// For tasks that act for nobody: back to the real uid and gid (groups: just the real gid).
// A no-op when the real uid is root or the process is not privileged.
core::Status DropToCaller();

}  // namespace x2gobroker::agent_server
