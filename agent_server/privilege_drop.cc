// SPDX-License-Identifier: AGPL-3.0-or-later
#include "agent_server/privilege_drop.h"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace x2gobroker::agent_server {
namespace {

// getpwnam_r with a buffer that grows (large LDAP entries).
bool LookupPasswd(const std::string& name, struct passwd* pw, std::vector<char>* buf) {
  buf->resize(16384);
  for (;;) {
    struct passwd* result = nullptr;
    const int rc = ::getpwnam_r(name.c_str(), pw, buf->data(), buf->size(), &result);
    if (rc == ERANGE && buf->size() < (1u << 20)) {
      buf->resize(buf->size() * 4);
      continue;
    }
    return rc == 0 && result != nullptr;
  }
}

core::Status VerifyIdentity(uid_t uid, gid_t gid) {
  uid_t ru, eu, su;
  gid_t rg, eg, sg;
  if (::getresuid(&ru, &eu, &su) != 0 || ::getresgid(&rg, &eg, &sg) != 0) return core::Internal("getresuid");
  if (ru != uid || eu != uid || su != uid || rg != gid || eg != gid || sg != gid) {
    return core::Internal("identity not fully changed");
  }
  if (uid != 0 && (::setuid(0) == 0 || ::seteuid(0) == 0)) return core::Internal("root could be regained");
  return core::Status::Ok();
}

}  // namespace

core::Status CheckCaller(const char* broker_account) {
  if (::geteuid() != 0 || ::getuid() == 0) return core::Status::Ok();
  struct passwd pw {};
  std::vector<char> buf;
  if (!LookupPasswd(broker_account, &pw, &buf) || pw.pw_uid != ::getuid()) {
    return core::PermissionDenied(std::string("only ") + broker_account + " may run this agent");
  }
  return core::Status::Ok();
}

core::Result<TargetUser> LookupTargetUser(const std::string& name, uid_t min_uid) {
  struct passwd pw {};
  std::vector<char> buf;
  if (!LookupPasswd(name, &pw, &buf)) return core::NotFound("no such user on system");
  if (pw.pw_uid == 0 || pw.pw_uid < min_uid) return core::PermissionDenied("operation on system user");
  TargetUser user;
  user.name = pw.pw_name;
  user.uid = pw.pw_uid;
  user.gid = pw.pw_gid;
  user.home = pw.pw_dir ? pw.pw_dir : "";
  int n = 64;
  for (int attempt = 0; attempt < 8; ++attempt) {
    user.groups.assign(static_cast<size_t>(n), 0);
    int count = n;
    if (::getgrouplist(user.name.c_str(), user.gid, user.groups.data(), &count) >= 0) {
      user.groups.resize(static_cast<size_t>(count));
      return user;
    }
    n = count > n ? count : n * 2;
  }
  return core::Internal("cannot list the user's groups");
}

core::Status DropTo(const TargetUser& user) {
  if (::geteuid() != 0) {
    if (::getuid() == user.uid && ::geteuid() == user.uid) return core::Status::Ok();
    return core::PermissionDenied("not privileged: can only act for the invoking user");
  }
  if (::setgroups(user.groups.size(), user.groups.data()) != 0) {
    return core::Internal(std::string("setgroups: ") + std::strerror(errno));
  }
  if (::setresgid(user.gid, user.gid, user.gid) != 0) return core::Internal(std::string("setresgid: ") + std::strerror(errno));
  if (::setresuid(user.uid, user.uid, user.uid) != 0) return core::Internal(std::string("setresuid: ") + std::strerror(errno));
  return VerifyIdentity(user.uid, user.gid);
}

core::Status DropToCaller() {
  const uid_t uid = ::getuid();
  const gid_t gid = ::getgid();
  if (::geteuid() != 0 || uid == 0) return core::Status::Ok();
  if (::setgroups(1, &gid) != 0) return core::Internal(std::string("setgroups: ") + std::strerror(errno));
  if (::setresgid(gid, gid, gid) != 0) return core::Internal(std::string("setresgid: ") + std::strerror(errno));
  if (::setresuid(uid, uid, uid) != 0) return core::Internal(std::string("setresuid: ") + std::strerror(errno));
  return VerifyIdentity(uid, gid);
}

}  // namespace x2gobroker::agent_server
