// SPDX-License-Identifier: AGPL-3.0-or-later
#include "loadchecker/load_server.h"

#include <errno.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "core/load_checker_protocol.h"
#include "core/log.h"

namespace x2gobroker::loadchecker {
namespace {

namespace protocol = core::load_checker;
using Clock = std::chrono::steady_clock;

// After EMFILE/ENFILE, accept nothing for this long instead of spinning on the listen socket.
constexpr int kAcceptPauseMs = 100;

// Waits for `events` on `fd` (or the stop descriptor) until `deadline`. False on time-out,
// stop or error.
bool Wait(int fd, short events, int stop_fd, Clock::time_point deadline) {
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    pollfd p[2] = {{fd, events, 0}, {stop_fd, POLLIN, 0}};
    int n = ::poll(p, 2, static_cast<int>(std::min<int64_t>(left, 60000)));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 || p[1].revents != 0) return false;
    if (n > 0) return true;
  }
}

// Reads into (*buffer)[have..size). False on EOF, error, time-out or stop.
bool ReadUpTo(int fd, std::string* buffer, size_t have, int stop_fd, Clock::time_point deadline) {
  while (have < buffer->size()) {
    ssize_t n = ::recv(fd, buffer->data() + have, buffer->size() - have, MSG_DONTWAIT);
    if (n > 0) {
      have += static_cast<size_t>(n);
      continue;
    }
    if (n == 0) return false;
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) return false;
    if (!Wait(fd, POLLIN, stop_fd, deadline)) return false;
  }
  return true;
}

bool SendAll(int fd, std::string_view data, int stop_fd, Clock::time_point deadline) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      data.remove_prefix(static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && Wait(fd, POLLOUT, stop_fd, deadline)) continue;
    return false;
  }
  return true;
}

}  // namespace

LoadServer::LoadServer(LoadServerConfig config, int listen_fd, const LoadTable& table)
    : config_(std::move(config)), listen_fd_(listen_fd), table_(table) {}

LoadServer::~LoadServer() { Stop(); }

core::Status LoadServer::Start() {
  stop_.reset(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
  if (!stop_.valid()) return core::Internal(std::string("eventfd: ") + std::strerror(errno));
  for (int i = 0; i < std::max(config_.threads, 1); ++i) threads_.emplace_back([this] { ThreadMain(); });
  return core::Status::Ok();
}

void LoadServer::Stop() {
  if (stop_.valid()) {
    // Never read back: the eventfd stays readable and wakes every thread.
    uint64_t one = 1;
    ssize_t ignored = ::write(stop_.get(), &one, sizeof one);
    (void)ignored;
  }
  for (std::thread& t : threads_) t.join();
  threads_.clear();
}

void LoadServer::ThreadMain() {
  for (;;) {
    pollfd p[2] = {{listen_fd_, POLLIN, 0}, {stop_.get(), POLLIN, 0}};
    int n = ::poll(p, 2, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      core::LogError(std::string("poll on the listen socket: ") + std::strerror(errno));
      return;
    }
    if (p[1].revents != 0) return;
    // Another thread may have taken the connection: EAGAIN, try again.
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        core::LogError(std::string("accept: ") + std::strerror(errno) + "; pausing");
        pollfd stop{stop_.get(), POLLIN, 0};
        ::poll(&stop, 1, kAcceptPauseMs);
      }
      continue;
    }
    core::UniqueFd connection(fd);
    ucred peer{};
    socklen_t len = sizeof peer;
    if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &len) != 0 || len != sizeof peer) {
      core::LogWarning(std::string("SO_PEERCRED failed: ") + std::strerror(errno) + "; connection closed");
      continue;
    }
    if (config_.allowed_uids.count(peer.uid) == 0) {
      core::LogWarning("refused a connection from uid=" + std::to_string(peer.uid) + " pid=" + std::to_string(peer.pid) +
                       " (not an allowed uid); closed without a reply");
      continue;
    }
    Serve(std::move(connection), peer.pid);
  }
}

void LoadServer::Serve(core::UniqueFd connection, pid_t peer_pid) {
  const int fd = connection.get();
  const Clock::time_point deadline = Clock::now() + config_.timeout;
  const std::string who = "peer_pid=" + std::to_string(peer_pid);
  std::string frame(protocol::kFrameHeaderBytes, '\0');
  if (!ReadUpTo(fd, &frame, 0, stop_.get(), deadline)) {
    core::LogDebug("no request from " + who + "; closed");
    return;
  }
  core::Result<size_t> body = protocol::DecodeFrameHeader(frame);
  if (!body.ok()) {
    core::LogWarning("malformed frame header from " + who + ": " + body.status().message() + "; closed without a reply");
    return;
  }
  frame.resize(protocol::kFrameHeaderBytes + *body);
  if (!ReadUpTo(fd, &frame, protocol::kFrameHeaderBytes, stop_.get(), deadline)) {
    core::LogWarning("truncated or late request from " + who + "; closed without a reply");
    return;
  }
  core::Result<protocol::ProfileLoadRequest> request = protocol::DecodeProfileLoadRequest(frame);
  if (!request.ok()) {
    core::LogWarning("malformed request from " + who + ": " + request.status().message() + "; closed without a reply");
    return;
  }
  // One request per connection: anything after it is out of order.
  char extra;
  if (::recv(fd, &extra, 1, MSG_PEEK | MSG_DONTWAIT) > 0) {
    core::LogWarning("bytes after the request from " + who + "; closed without a reply");
    return;
  }
  std::optional<HostLoads> loads = table_.Lookup(request->backend, request->profile_id);
  std::string answer;
  if (loads) {
    core::Result<std::string> encoded = protocol::EncodeLoadsAnswer(*loads);
    if (!encoded.ok()) {  // the plan only admits servable profiles; a bug if this happens
      core::LogError("cannot encode the loads of " + core::Printable(request->profile_id) + ": " +
                     encoded.status().message());
      return;
    }
    answer = std::move(encoded).value();
  } else {
    answer = protocol::EncodeUnknownProfileAnswer();
  }
  core::LogDebug(who + " asked for " + core::Printable(request->backend) + "/" + core::Printable(request->profile_id) +
                 (loads ? "" : " (not polled)"));
  if (!SendAll(fd, answer, stop_.get(), deadline)) core::LogDebug(who + " went away before the answer");
}

}  // namespace x2gobroker::loadchecker
