// SPDX-License-Identifier: AGPL-3.0-or-later
#include "cli/identity.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <string_view>

#include "core/ip_address.h"
#include "core/log.h"

namespace x2gobroker::cli {
namespace {

// Room for one password entry's strings; getpw*_r answers ERANGE if a (NSS) entry is larger.
constexpr size_t kPasswdBufferBytes = 16 * 1024;

std::optional<uid_t> UidOfName(const std::string& name) {
  std::vector<char> buffer(kPasswdBufferBytes);
  passwd entry{};
  passwd* found = nullptr;
  if (getpwnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found) != 0 || found == nullptr) {
    return std::nullopt;
  }
  return found->pw_uid;
}

std::optional<std::string> NameOfUid(uid_t uid) {
  std::vector<char> buffer(kPasswdBufferBytes);
  passwd entry{};
  passwd* found = nullptr;
  if (getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &found) != 0 || found == nullptr) return std::nullopt;
  return std::string(found->pw_name);
}

}  // namespace

CallerInfo CallerFromProcess() {
  CallerInfo caller;
  caller.real_uid = getuid();
  caller.real_uid_name = NameOfUid(caller.real_uid);
  const char* logname = std::getenv("LOGNAME");
  if (logname != nullptr && *logname != '\0') {
    caller.logname = std::string(logname);
    caller.logname_uid = UidOfName(*caller.logname);
  }
  return caller;
}

core::Result<BrokerIdentity> ResolveBrokerUser(const CallerInfo& caller,
                                               const std::optional<std::string>& requested_user,
                                               const std::string& daemon_user) {
  BrokerIdentity identity;
  std::string self;
  if (caller.logname && caller.logname_uid && *caller.logname_uid == caller.real_uid) {
    self = *caller.logname;
  } else if (caller.real_uid_name) {
    self = *caller.real_uid_name;
    if (caller.logname && *caller.logname != self) {
      identity.warnings.push_back("ignoring LOGNAME='" + core::Printable(*caller.logname) +
                                  "': it does not name the calling account (uid " + std::to_string(caller.real_uid) +
                                  "); acting for " + core::Printable(self));
    }
  } else {
    return core::PermissionDenied("cannot determine the calling user: uid " + std::to_string(caller.real_uid) +
                                  " has no password entry");
  }
  identity.user = self;
  if (requested_user && *requested_user != self) {
    if (self == daemon_user) {
      identity.user = *requested_user;
    } else {
      identity.warnings.push_back("denying context change to user '" + core::Printable(*requested_user) +
                                  "', only allowed for the daemon user '" + core::Printable(daemon_user) +
                                  "'; acting for " + core::Printable(self));
    }
  }
  return identity;
}

core::Result<std::string> ClientAddressFromSshClient(const char* ssh_client) {
  std::string_view text = ssh_client == nullptr ? std::string_view() : std::string_view(ssh_client);
  size_t start = text.find_first_not_of(' ');
  if (start == std::string_view::npos) return std::string("127.0.0.1");
  text = text.substr(start);
  std::string_view first = text.substr(0, text.find(' '));
  std::optional<core::IpAddress> address = core::IpAddress::Parse(first);
  if (!address)
    return core::InvalidArgument("SSH_CLIENT does not start with an IP address ('" + core::Printable(first) + "')");
  return address->ToString();
}

}  // namespace x2gobroker::cli
