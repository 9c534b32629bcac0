// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/port_prober.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "core/unique_fd.h"

namespace x2gobroker::core {
namespace {

struct AddrInfoDeleter {
  void operator()(addrinfo* a) const { freeaddrinfo(a); }
};

// Waits for `events` on fd until `deadline`; true when ready.
bool WaitFor(int fd, short events, std::chrono::steady_clock::time_point deadline) {
  pollfd p{fd, events, 0};
  while (true) {
    auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (remaining.count() <= 0) return false;
    int ready = poll(&p, 1, static_cast<int>(remaining.count()));
    if (ready == 1) return true;
    if (ready == 0 || errno != EINTR) return false;
  }
}

// An SSH server sends its identification line ("SSH-2.0-...") first (RFC 4253 §4.2; other
// lines may precede it). A server whose kernel accepts the connection but whose sshd hangs
// never sends it, and must fail over like a refused one.
bool SshBannerWithin(int fd, std::chrono::steady_clock::time_point deadline) {
  std::string seen;
  char buf[256];
  while (seen.size() < 1024 && WaitFor(fd, POLLIN, deadline)) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    seen.append(buf, static_cast<size_t>(n));
    if (seen.rfind("SSH-", 0) == 0 || seen.find("\nSSH-") != std::string::npos) return true;
  }
  return false;
}

bool ConnectWithin(const addrinfo& ai, std::chrono::steady_clock::time_point deadline) {
  UniqueFd fd(socket(ai.ai_family, ai.ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai.ai_protocol));
  if (fd.get() < 0) return false;
  if (connect(fd.get(), ai.ai_addr, ai.ai_addrlen) != 0) {
    if (errno != EINPROGRESS || !WaitFor(fd.get(), POLLOUT, deadline)) return false;
    int error = 0;
    socklen_t len = sizeof error;
    if (getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &error, &len) != 0 || error != 0) return false;
  }
  return SshBannerWithin(fd.get(), deadline);
}

}  // namespace

bool TcpPortProber::IsReachable(const std::string& host, int port) const {
  if (host.empty() || port < 1 || port > 65535) return false;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0) return false;
  std::unique_ptr<addrinfo, AddrInfoDeleter> list(found);
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  for (const addrinfo* ai = list.get(); ai != nullptr; ai = ai->ai_next) {
    if (ConnectWithin(*ai, deadline)) return true;
    if (std::chrono::steady_clock::now() >= deadline) break;
  }
  return false;
}

}  // namespace x2gobroker::core
