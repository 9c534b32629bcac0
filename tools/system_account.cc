// SPDX-License-Identifier: AGPL-3.0-or-later
#include "tools/system_account.h"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace x2gobroker::tools {
namespace {

core::Status Errno(const std::string& what) { return core::Internal(what + ": " + std::strerror(errno)); }

}  // namespace

core::Result<SystemAccount> LookupAccount(const std::string& name) {
  long size = ::sysconf(_SC_GETPW_R_SIZE_MAX);
  std::vector<char> buffer(static_cast<size_t>(size > 0 ? size : 16384));
  passwd entry{};
  passwd* found = nullptr;
  if (name.empty() || ::getpwnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found) != 0 ||
      found == nullptr) {
    return core::NotFound("no such user: " + name);
  }
  return SystemAccount{found->pw_name, found->pw_uid, found->pw_gid, found->pw_dir != nullptr ? found->pw_dir : ""};
}

core::Status RequireRoot(const std::string& tool) {
  if (::geteuid() == 0) return core::Status::Ok();
  return core::PermissionDenied(tool + " must be run as root");
}

core::Status DropPrivilegesTo(const SystemAccount& account) {
  if (::geteuid() != 0) {
    if (::geteuid() == account.uid) return core::Status::Ok();
    return core::PermissionDenied("must run as root or as " + account.name);
  }
  if (::initgroups(account.name.c_str(), account.gid) != 0) return Errno("initgroups " + account.name);
  if (::setgid(account.gid) != 0) return Errno("setgid");
  if (::setuid(account.uid) != 0) return Errno("setuid");
  if (::setuid(0) == 0) return core::Internal("could regain root after dropping privileges");
  ::setenv("HOME", account.home.c_str(), 1);
  return core::Status::Ok();
}

core::Status EnsureOwnedDirectory(const std::string& dir, mode_t mode, const SystemAccount& account) {
  if (::mkdir(dir.c_str(), mode) == 0) return SetOwnerAndMode(dir, mode, account);
  if (errno != EEXIST) return Errno("cannot create " + dir);
  struct stat st{};
  if (::lstat(dir.c_str(), &st) != 0) return Errno("cannot stat " + dir);
  if (!S_ISDIR(st.st_mode)) return core::InvalidArgument(dir + " is not a directory");
  // An existing directory keeps its mode (it may be stricter); only the owner is repaired.
  return SetOwnerAndMode(dir, st.st_mode & 07777, account);
}

core::Status SetOwnerAndMode(const std::string& path, mode_t mode, const SystemAccount& account) {
  // Through a descriptor opened without following a symlink: a link planted in a directory the
  // account owns must not redirect root's chown/chmod.
  int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return Errno("cannot open " + path);
  core::Status status;
  if (::geteuid() == 0 && ::fchown(fd, account.uid, account.gid) != 0) {
    status = Errno("cannot chown " + path);
  } else if (::fchmod(fd, mode) != 0) {
    status = Errno("cannot chmod " + path);
  }
  ::close(fd);
  return status;
}

}  // namespace x2gobroker::tools
