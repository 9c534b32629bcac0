// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/port_prober.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "core/unique_fd.h"

namespace x2gobroker::core {
namespace {

struct AddrInfoDeleter {
  void operator()(addrinfo* a) const { freeaddrinfo(a); }
};



bool ConnectWithin(const addrinfo& ai, std::chrono::steady_clock::time_point deadline) {
  UniqueFd fd(socket(ai.ai_family, ai.ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai.ai_protocol));
  if (fd.get() < 0) return false;
  if (connect(fd.get(), ai.ai_addr, ai.ai_addrlen) == 0) return true;
  if (errno != EINPROGRESS) return false;
  auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  if (remaining.count() <= 0) return false;
  pollfd p{fd.get(), POLLOUT, 0};
  int ready;
  do {
    ready = poll(&p, 1, static_cast<int>(remaining.count()));
  } while (ready < 0 && errno == EINTR);
  if (ready != 1) return false;
  int error = 0;
  socklen_t len = sizeof error;
  return getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &error, &len) == 0 && error == 0;
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
