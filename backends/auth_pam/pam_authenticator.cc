// SPDX-License-Identifier: AGPL-3.0-or-later
#include "backends/auth_pam/pam_authenticator.h"

#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <cstring>
#include <mutex>
#include <string_view>
#include <thread>

#include "core/unique_fd.h"
#include "core/auth/pam_protocol.h"
#include "core/broker_config.h"
#include "core/log.h"

namespace x2gobroker::backends::auth_pam {
namespace {

namespace auth = core::auth;
using Clock = std::chrono::steady_clock;

// Logged once per process: every worker process says it once, not every login.
std::once_flag g_fallback_notice;

core::Status CheckSocketPath(const std::string& path) {
  if (path.empty()) return core::InvalidArgument("auth service socket path is empty");
  if (path.find('\0') != std::string::npos) return core::InvalidArgument("NUL in the auth service socket path");
  if (path.size() >= sizeof(sockaddr_un{}.sun_path)) {
    return core::InvalidArgument("auth service socket path too long (max " +
                                 std::to_string(sizeof(sockaddr_un{}.sun_path) - 1) + " bytes): " + path);
  }
  return core::Status::Ok();
}

std::string ErrnoText(int error) { return std::strerror(error); }

// Waits until `fd` is ready for `events` or the deadline passes. False on time-out.
bool WaitFor(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, events, 0};
    int n = ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left.count() + 1, 60000)));
    if (n > 0) return true;
    if (n < 0 && errno != EINTR) return true;  // let the following call report the error
  }
}

enum class ConnectOutcome { kConnected, kNotRunning, kFailed };

ConnectOutcome Connect(const std::string& path, Clock::time_point deadline, core::UniqueFd* out, int* error) {
  if (!CheckSocketPath(path).ok()) {
    *error = ENAMETOOLONG;
    return ConnectOutcome::kFailed;
  }
  core::UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd.valid()) {
    *error = errno;
    return ConnectOutcome::kFailed;
  }
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, path.data(), path.size());
  int rc;
  do {
    rc = ::connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    *error = errno;
    if (errno == ENOENT || errno == ECONNREFUSED || errno == ENOTDIR) return ConnectOutcome::kNotRunning;
    if (errno != EINPROGRESS) return ConnectOutcome::kFailed;  // EAGAIN: backlog full; EACCES: mode/group
    if (!WaitFor(fd.get(), POLLOUT, deadline)) {
      *error = ETIMEDOUT;
      return ConnectOutcome::kFailed;
    }
    int so_error = 0;
    socklen_t len = sizeof so_error;
    if (::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &so_error, &len) != 0) so_error = errno;
    if (so_error != 0) {
      *error = so_error;
      return so_error == ECONNREFUSED ? ConnectOutcome::kNotRunning : ConnectOutcome::kFailed;
    }
  }
  *out = std::move(fd);
  return ConnectOutcome::kConnected;
}

core::Status SendAll(int fd, std::string_view data, Clock::time_point deadline) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n > 0) {
      data.remove_prefix(static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!WaitFor(fd, POLLOUT, deadline)) return core::Unavailable("auth service: time-out while sending");
      continue;
    }
    return core::Unavailable("auth service: send: " + ErrnoText(errno));
  }
  return core::Status::Ok();
}

// Reads exactly `size` bytes.
core::Status ReceiveExactly(int fd, size_t size, std::string* out, Clock::time_point deadline,
                            std::chrono::milliseconds timeout) {
  out->clear();
  char buffer[16];
  while (out->size() < size) {
    size_t want = std::min(sizeof buffer, size - out->size());
    ssize_t n = ::recv(fd, buffer, want, 0);
    if (n > 0) {
      out->append(buffer, static_cast<size_t>(n));
      continue;
    }
    if (n == 0) {
      return core::Unavailable("auth service closed the connection without an answer (is this uid allowed?)");
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      if (!WaitFor(fd, POLLIN, deadline)) {
        return core::Unavailable("auth service: no answer within " + std::to_string(timeout.count()) + " ms");
      }
      continue;
    }
    return core::Unavailable("auth service: recv: " + ErrnoText(errno));
  }
  return core::Status::Ok();
}

}  // namespace

PamAuthenticator::PamAuthenticator(PamAuthenticatorOptions options) : options_(std::move(options)) {
  if (!options_.in_process) {
    options_.in_process = [](const std::string& user, const core::SecretString& password, const std::string& rhost) {
      return CheckPamPassword(kPamService, user, password, rhost);
    };
  }
}

core::Result<bool> PamAuthenticator::Authenticate(const std::string& user, const std::string& password,
                                                  const std::string& client_address) const {
  // Refusals that need no PAM: they depend on the input only, never on whether the user exists.
  if (!auth::CheckUserName(user).ok() || !auth::CheckPassword(password).ok() ||
      password.find('\0') != std::string::npos) {
    core::LogDebug("pam: login of " + core::Printable(user.substr(0, 64)) + " refused without asking PAM");
    return false;
  }
  // REMOTE_ADDR comes from the web server; should it ever be odd, PAM just gets no PAM_RHOST.
  const std::string client = auth::CheckClientAddress(client_address).ok() ? client_address : std::string();
  core::Result<core::SecretString> frame = auth::EncodeAuthenticateRequest(user, password, client);
  if (!frame.ok()) return false;  // unreachable after the checks above

  const Clock::time_point deadline = Clock::now() + options_.answer_timeout;
  core::UniqueFd fd;
  int error = 0;
  switch (Connect(options_.socket_path, deadline, &fd, &error)) {
    case ConnectOutcome::kConnected:
      break;
    case ConnectOutcome::kNotRunning:
      return InProcess(user, password, client, options_.socket_path + ": " + ErrnoText(error));
    case ConnectOutcome::kFailed:
      return core::Unavailable("auth service " + options_.socket_path + ": connect: " + ErrnoText(error));
  }
  if (core::Status sent = SendAll(fd.get(), frame->view(), deadline); !sent.ok()) return sent;
  frame->Clear();
  std::string answer_frame;
  if (core::Status received = ReceiveExactly(fd.get(), auth::kFrameHeaderBytes + 1, &answer_frame, deadline,
                                             options_.answer_timeout);
      !received.ok()) {
    return received;
  }
  core::Result<auth::Answer> answer = auth::DecodeAnswer(answer_frame);
  if (!answer.ok()) return core::Unavailable("auth service: malformed answer: " + answer.status().message());
  switch (*answer) {
    case auth::Answer::kOk:
      return true;
    case auth::Answer::kFail:
      return false;
    case auth::Answer::kUnavailable:
      return core::Unavailable("auth service answered 'unavailable' (PAM broken or throttling; see its log)");
  }
  return core::Internal("unreachable");
}

core::Result<bool> PamAuthenticator::InProcess(const std::string& user, const std::string& password,
                                               const std::string& client_address, const std::string& why) const {
  std::call_once(g_fallback_notice, [&] {
    core::LogWarning("pam: the auth service is not reachable (" + why + "); checking passwords with PAM in this " +
                     "process instead (service " + kPamService + "), which fails for pam_unix unless the broker " +
                     "runs as root. Start x2gobroker-authservice. (Logged once per process.)");
  });
  const Clock::time_point start = Clock::now();
  core::SecretString secret(password);
  PamCheckResult result = options_.in_process(user, secret, client_address);
  secret.Clear();
  switch (result.verdict) {
    case PamVerdict::kSuccess:
      return true;
    case PamVerdict::kUnavailable:
      return core::Unavailable("pam (in-process fallback): " + result.pam_message);
    case PamVerdict::kFailure:
      break;
  }
  // Same minimum time for every failure, as the service does (unknown user = wrong password).
  auto min_time =
      std::max<std::chrono::microseconds>(options_.fallback_min_failure_time, result.requested_fail_delay);
  std::this_thread::sleep_until(start + min_time);
  return false;
}

core::Result<core::AuthenticatorPtr> PamAuthenticatorFactory::Create(const core::BrokerConfig& config) const {
  if (core::Status s = CheckSocketPath(config.env.authservice_socket); !s.ok()) {
    return core::InvalidArgument("X2GOBROKER_AUTHSERVICE_SOCKET: " + s.message());
  }
  PamAuthenticatorOptions options;
  options.socket_path = config.env.authservice_socket;
  return core::AuthenticatorPtr(std::make_shared<PamAuthenticator>(std::move(options)));
}

}  // namespace x2gobroker::backends::auth_pam
