// SPDX-License-Identifier: AGPL-3.0-or-later
#include "backends/auth_pam/authservice/listen_socket.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

namespace x2gobroker::backends::auth_pam {
namespace {

// Connections waiting for accept while all --max-connections are busy.
constexpr int kListenBacklog = 128;
constexpr mode_t kDirectoryMode = 0770;

std::string Errno(const std::string& what) { return what + ": " + std::strerror(errno); }

// Creates the socket's directory (0770, owner:group) or checks the existing one.
core::Status PrepareDirectory(const std::string& dir, uid_t owner, gid_t group) {
  if (::mkdir(dir.c_str(), 0700) == 0) {
    // Ours: give it to owner:group 0770 through a descriptor (no symlink games on the path).
    core::UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd.valid()) return core::Internal(Errno("open " + dir));
    if (::fchown(fd.get(), owner, group) != 0) return core::Internal(Errno("chown " + dir));
    if (::fchmod(fd.get(), kDirectoryMode) != 0) return core::Internal(Errno("chmod " + dir));
    return core::Status::Ok();
  }
  if (errno != EEXIST) return core::Internal(Errno("mkdir " + dir));
  struct stat st{};
  if (::lstat(dir.c_str(), &st) != 0) return core::Internal(Errno("stat " + dir));
  if (!S_ISDIR(st.st_mode)) return core::InvalidArgument(dir + " is not a directory");
  // Anybody who can write the directory can swap the socket for their own.
  if ((st.st_mode & S_IWOTH) != 0 && (st.st_mode & S_ISVTX) == 0) {
    return core::InvalidArgument(dir + " is writable by everybody; use a private directory such as /run/x2gobroker");
  }
  return core::Status::Ok();
}

}  // namespace

core::Result<ListenSocket> CreateListenSocket(const std::string& path, uid_t owner, gid_t group, mode_t mode) {
  sockaddr_un address{};
  if (path.empty() || path[0] != '/') return core::InvalidArgument("socket path must be absolute: " + path);
  if (path.size() >= sizeof address.sun_path) return core::InvalidArgument("socket path too long: " + path);
  if (path.find('\0') != std::string::npos) return core::InvalidArgument("NUL in socket path");
  const std::string dir = path.substr(0, path.rfind('/'));
  if (!dir.empty()) {
    if (core::Status s = PrepareDirectory(dir, owner, group); !s.ok()) return s;
  }
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, path.data(), path.size());

  struct stat st{};
  if (::lstat(path.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode)) return core::InvalidArgument(path + " exists and is not a socket");
    core::UniqueFd probe(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (probe.valid() && ::connect(probe.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0) {
      return core::InvalidArgument("another process is listening on " + path);
    }
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) return core::Internal(Errno("unlink stale " + path));
  } else if (errno != ENOENT) {
    return core::Internal(Errno("stat " + path));
  }

  ListenSocket result;
  result.path = path;
  result.fd.reset(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!result.fd.valid()) return core::Internal(Errno("socket"));
  // The socket file gets 0777 & ~umask: created with exactly `mode`. Single-threaded here.
  const mode_t old_umask = ::umask(0777 & ~mode);
  const int bound = ::bind(result.fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address);
  const int bind_errno = errno;
  ::umask(old_umask);
  if (bound != 0) {
    errno = bind_errno;
    return core::Internal(Errno("bind " + path));
  }
  if (::fchownat(AT_FDCWD, path.c_str(), owner, group, AT_SYMLINK_NOFOLLOW) != 0) {
    core::Status error = core::Internal(Errno("chown " + path));
    ::unlink(path.c_str());
    return error;
  }
  if (::lstat(path.c_str(), &st) != 0 || !S_ISSOCK(st.st_mode)) {
    return core::Internal(path + " vanished or was replaced while it was being set up");
  }
  result.device = st.st_dev;
  result.inode = st.st_ino;
  if (::listen(result.fd.get(), kListenBacklog) != 0) return core::Internal(Errno("listen " + path));
  return result;
}

void RemoveListenSocket(const ListenSocket& socket) {
  struct stat st{};
  if (::lstat(socket.path.c_str(), &st) == 0 && st.st_dev == socket.device && st.st_ino == socket.inode) {
    ::unlink(socket.path.c_str());
  }
}

}  // namespace x2gobroker::backends::auth_pam
