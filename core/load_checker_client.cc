// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/load_checker_client.h"

#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <algorithm>
#include <cstring>

#include "core/load_checker_protocol.h"
#include "core/unique_fd.h"

namespace x2gobroker::core {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kClosed = "load checker closed the connection without an answer (is our uid allowed?)";

std::string Errno(const std::string& what) { return what + ": " + std::strerror(errno); }

// The daemon closes at once on a peer it refuses, possibly before our request is written.
bool PeerClosed() { return errno == EPIPE || errno == ECONNRESET; }

// Waits until `fd` is ready for `events` or the deadline passes.
Status WaitFor(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return Unavailable("load checker: no answer in time");
    pollfd p{fd, events, 0};
    int n = ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left, 60000)));
    if (n > 0) return Status::Ok();
    if (n < 0 && errno != EINTR) return Unavailable(Errno("load checker: poll"));
  }
}

Status SendAll(int fd, std::string_view data, Clock::time_point deadline) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      data.remove_prefix(static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (Status s = WaitFor(fd, POLLOUT, deadline); !s.ok()) return s;
      continue;
    }
    return Unavailable(PeerClosed() ? kClosed : Errno("load checker: send"));
  }
  return Status::Ok();
}

// Reads exactly out->size() bytes.
Status ReadExactly(int fd, std::string* out, size_t from, Clock::time_point deadline) {
  size_t have = from;
  while (have < out->size()) {
    ssize_t n = ::recv(fd, out->data() + have, out->size() - have, MSG_DONTWAIT);
    if (n > 0) {
      have += static_cast<size_t>(n);
      continue;
    }
    if (n == 0 || PeerClosed()) return Unavailable(kClosed);
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      if (Status s = WaitFor(fd, POLLIN, deadline); !s.ok()) return s;
      continue;
    }
    return Unavailable(Errno("load checker: recv"));
  }
  return Status::Ok();
}

}  // namespace

Result<std::map<std::string, LoadFactor>> SocketLoadChecker::ProfileLoad(const std::string& backend,
                                                                        const std::string& profile_id) const {
  Result<std::string> request = load_checker::EncodeProfileLoadRequest(backend, profile_id);
  if (!request.ok()) return request.status();
  const Clock::time_point deadline = Clock::now() + timeout_;

  sockaddr_un address{};
  if (socket_path_.empty() || socket_path_.size() >= sizeof address.sun_path) {
    return Unavailable("load checker socket path empty or too long: " + socket_path_);
  }
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, socket_path_.data(), socket_path_.size());
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return Unavailable(Errno("load checker: socket"));
  // A blocking connect on a UNIX socket returns at once (ENOENT, ECONNREFUSED) unless the
  // listen backlog is full; then it would block, so it is time-boxed like the rest.
  const auto left = std::max<int64_t>(1, std::chrono::duration_cast<std::chrono::microseconds>(timeout_).count());
  timeval tv{static_cast<time_t>(left / 1000000), static_cast<suseconds_t>(left % 1000000)};
  ::setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  int rc;
  do {
    rc = ::connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) return Unavailable(Errno("load checker: connect " + socket_path_));

  if (Status s = SendAll(fd.get(), *request, deadline); !s.ok()) return s;
  std::string frame(load_checker::kFrameHeaderBytes, '\0');
  if (Status s = ReadExactly(fd.get(), &frame, 0, deadline); !s.ok()) return s;
  Result<size_t> body = load_checker::DecodeFrameHeader(frame);
  if (!body.ok()) return Unavailable("load checker: malformed answer: " + body.status().message());
  frame.resize(load_checker::kFrameHeaderBytes + *body);
  if (Status s = ReadExactly(fd.get(), &frame, load_checker::kFrameHeaderBytes, deadline); !s.ok()) return s;
  Result<load_checker::LoadAnswer> answer = load_checker::DecodeAnswer(frame);
  if (!answer.ok()) return Unavailable("load checker: malformed answer: " + answer.status().message());
  return std::move(answer->loads);
}

}  // namespace x2gobroker::core
