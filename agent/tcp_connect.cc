// SPDX-License-Identifier: AGPL-3.0-or-later
#include "agent/tcp_connect.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace x2gobroker::agent {
namespace {

struct AddrinfoDeleter {
  void operator()(addrinfo* ai) const { freeaddrinfo(ai); }
};
using AddrinfoPtr = std::unique_ptr<addrinfo, AddrinfoDeleter>;

// One attempt: kOk with *fd set, or the errno that failed it (ETIMEDOUT for the deadline).
int ConnectOne(const addrinfo& ai, const Deadline& deadline, core::UniqueFd* out) {
  core::UniqueFd fd(::socket(ai.ai_family, ai.ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai.ai_protocol));
  if (!fd.valid()) return errno;
  if (::connect(fd.get(), ai.ai_addr, ai.ai_addrlen) != 0) {
    if (errno != EINPROGRESS) return errno;
    pollfd p{fd.get(), POLLOUT, 0};
    for (;;) {
      int ms = deadline.remaining_ms();
      if (ms == 0) return ETIMEDOUT;
      int n = ::poll(&p, 1, ms);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return errno;
      if (n == 0) return ETIMEDOUT;
      break;
    }
    int error = 0;
    socklen_t len = sizeof(error);
    if (::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &error, &len) != 0) return errno;
    if (error != 0) return error;
  }
  // Agent requests are small request/response exchanges: do not let Nagle hold them back.
  int one = 1;
  ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  *out = std::move(fd);
  return 0;
}

}  // namespace

core::Result<core::UniqueFd> TcpConnect(const std::string& address, int port, const Deadline& deadline) {
  std::string host = address;
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty()) return core::Unavailable("empty agent address");
  if (port < 1 || port > 65535) return core::Unavailable("agent port out of range");
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_ADDRCONFIG;
  addrinfo* raw = nullptr;
  // getaddrinfo has no time-out of its own; names here come from the broker's configuration
  // and are normally addresses or /etc/hosts entries.
  int rc = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &raw);
  if (rc != 0) return core::Unavailable("cannot resolve " + host + ": " + gai_strerror(rc));
  AddrinfoPtr list(raw);
  int last_error = ECONNREFUSED;
  for (const addrinfo* ai = list.get(); ai != nullptr; ai = ai->ai_next) {
    core::UniqueFd fd;
    int error = ConnectOne(*ai, deadline, &fd);
    if (error == 0) return fd;
    last_error = error;
    if (error == ETIMEDOUT && deadline.expired()) break;
  }
  std::string where = host + " port " + std::to_string(port);
  if (last_error == ETIMEDOUT) return core::DeadlineExceeded("connect to " + where + " timed out");
  return core::Unavailable("connect to " + where + ": " + std::strerror(last_error));
}

}  // namespace x2gobroker::agent
