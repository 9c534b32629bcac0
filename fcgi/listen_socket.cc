// SPDX-License-Identifier: AGPL-3.0-or-later
#include "fcgi/listen_socket.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace x2gobroker::fcgi {
namespace {

core::Status Errno(const std::string& what) { return core::Unavailable(what + ": " + strerror(errno)); }

sockaddr_un UnixAddress(const std::string& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  memcpy(address.sun_path, path.data(), path.size());  // ParseSocketSpec checked the length
  return address;
}

// Removes a socket file nobody accepts on any more (left by a crash); refuses anything else.
core::Status ClearStaleSocket(const std::string& path) {
  struct stat info {};
  if (lstat(path.c_str(), &info) != 0) {
    return errno == ENOENT ? core::Status::Ok() : Errno("stat " + path);
  }
  if (!S_ISSOCK(info.st_mode)) return core::Unavailable(path + " exists and is not a socket");
  core::UniqueFd probe(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!probe.valid()) return Errno("socket");
  sockaddr_un address = UnixAddress(path);
  if (connect(probe.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
    return core::Unavailable(path + " is in use by a running process");
  }
  if (errno != ECONNREFUSED) return Errno("probe " + path);
  if (unlink(path.c_str()) != 0 && errno != ENOENT) return Errno("remove stale " + path);
  return core::Status::Ok();
}

core::Result<ListenSocket> OpenUnix(const std::string& path, mode_t mode, int backlog) {
  if (auto status = ClearStaleSocket(path); !status.ok()) return status;
  ListenSocket result;
  result.fd.reset(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!result.fd.valid()) return Errno("socket");
  sockaddr_un address = UnixAddress(path);
  // bind() creates the file with 0777 & ~umask: set the umask so it is born with `mode`.
  mode_t old_umask = umask(~mode & 0777);
  int bound = bind(result.fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address);
  int bind_errno = errno;
  umask(old_umask);
  if (bound != 0) {
    errno = bind_errno;
    return Errno("bind " + path);
  }
  struct stat info {};
  if (chmod(path.c_str(), mode) != 0 || stat(path.c_str(), &info) != 0) return Errno("chmod " + path);
  result.created_path = path;
  result.device = info.st_dev;
  result.inode = info.st_ino;
  if (listen(result.fd.get(), backlog) != 0) {
    RemoveCreatedSocket(result);
    return Errno("listen " + path);
  }
  return result;
}

core::Result<ListenSocket> OpenTcp(const std::string& host, const std::string& port, int backlog) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (int rc = getaddrinfo(host.c_str(), port.c_str(), &hints, &found); rc != 0) {
    return core::Unavailable("resolve " + host + ": " + gai_strerror(rc));
  }
  core::Status last = core::Unavailable("no address for " + host);
  ListenSocket result;
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    core::UniqueFd fd(socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol));
    if (!fd.valid()) {
      last = Errno("socket");
      continue;
    }
    int one = 1;
    setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);  // restart without TIME_WAIT delay
    if (a->ai_family == AF_INET6) setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    if (bind(fd.get(), a->ai_addr, a->ai_addrlen) != 0 || listen(fd.get(), backlog) != 0) {
      last = Errno("bind/listen " + host + ":" + port);
      continue;
    }
    result.fd = std::move(fd);
    break;
  }
  freeaddrinfo(found);
  if (!result.fd.valid()) return last;
  return result;
}

}  // namespace

core::Result<ListenSocket> OpenListenSocket(const SocketSpec& spec, mode_t mode, int backlog) {
  switch (spec.kind) {
    case SocketSpec::Kind::kUnix: return OpenUnix(spec.path, mode, backlog);
    case SocketSpec::Kind::kTcp: return OpenTcp(spec.host, spec.port, backlog);
    case SocketSpec::Kind::kInherited: return InheritedListenSocket();
  }
  return core::Internal("unknown socket kind");
}

core::Result<ListenSocket> InheritedListenSocket() {
  int fd = 0;
  std::string origin = "fd 0 (from spawn-fcgi)";
  const char* listen_pid = getenv("LISTEN_PID");
  const char* listen_fds = getenv("LISTEN_FDS");
  if (listen_pid != nullptr && listen_fds != nullptr && atol(listen_pid) == static_cast<long>(getpid())) {
    if (strcmp(listen_fds, "1") != 0) {
      return core::Unavailable(std::string("systemd passed LISTEN_FDS=") + listen_fds + ", expected exactly 1");
    }
    fd = 3;  // SD_LISTEN_FDS_START
    origin = "fd 3 (from systemd)";
    // Not for our children: they are not the process systemd meant.
    unsetenv("LISTEN_PID");
    unsetenv("LISTEN_FDS");
    unsetenv("LISTEN_FDNAMES");
  }
  int listening = 0;
  socklen_t length = sizeof listening;
  if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &length) != 0) {
    return core::Unavailable(origin + " is not a socket: pass --socket, or start under spawn-fcgi or systemd");
  }
  if (!listening) return core::Unavailable(origin + " is a socket but not listening");
  int flags = fcntl(fd, F_GETFD);
  if (flags < 0 || fcntl(fd, F_SETFD, flags | FD_CLOEXEC) != 0) return Errno("fcntl " + origin);
  ListenSocket result;
  result.fd.reset(fd);
  return result;
}

core::Status SetNonBlocking(int fd) {
  int flags = fcntl(fd, F_GETFL);
  if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) return Errno("fcntl O_NONBLOCK");
  return core::Status::Ok();
}

void RemoveCreatedSocket(const ListenSocket& socket) {
  if (socket.created_path.empty()) return;
  struct stat info {};
  if (lstat(socket.created_path.c_str(), &info) == 0 && info.st_dev == socket.device && info.st_ino == socket.inode) {
    unlink(socket.created_path.c_str());
  }
}

}  // namespace x2gobroker::fcgi
