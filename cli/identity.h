// SPDX-License-Identifier: AGPL-3.0-or-later
// Who the SSH broker acts for (PROTOCOL.md §8.2): the broker user is the account that logged in
// over SSH, `--user` is honoured only for the daemon user (the trusted front-end's "magic
// user"), and the client address comes from $SSH_CLIENT.
//
// Deliberately stricter than the reference: production runs through the setuid wrapper (§8.3),
// so the caller controls the environment. $LOGNAME is therefore believed only if it names the
// account of the real uid (an alias of the same uid is fine); otherwise the real uid's
// password-database name is used and a warning says so. Without that check anyone in the
// wrapper's group could set LOGNAME=x2gobroker and act for every user with --user.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace x2gobroker::cli {

// What the process knows about its caller; filled by CallerFromProcess(), plain data so the
// decision below can be tested without real accounts.
struct CallerInfo {
  std::optional<std::string> logname;  // $LOGNAME, unset or empty → nullopt
  std::optional<uid_t> logname_uid;    // uid of the password entry named $LOGNAME
  uid_t real_uid = 0;
  std::optional<std::string> real_uid_name;  // password-database name of the real uid
};

struct BrokerIdentity {
  std::string user;                   // the broker user every check is made for
  std::vector<std::string> warnings;  // to be logged (ignored $LOGNAME, refused --user)
};

// Reads $LOGNAME and the password database (getpwnam_r / getpwuid_r) for the real uid.
CallerInfo CallerFromProcess();

// The broker user: the caller, or `requested_user` when the caller is `daemon_user`.
// PermissionDenied if the caller has no name at all (no $LOGNAME matching the real uid and no
// password entry for it).
core::Result<BrokerIdentity> ResolveBrokerUser(const CallerInfo& caller,
                                               const std::optional<std::string>& requested_user,
                                               const std::string& daemon_user);

// The client address: the first field of $SSH_CLIENT ("<ip> <port> <port>"), 127.0.0.1 when
// it is unset or empty. InvalidArgument if the first field is not an IP address.
core::Result<std::string> ClientAddressFromSshClient(const char* ssh_client);

}  // namespace x2gobroker::cli
