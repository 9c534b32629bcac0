// SPDX-License-Identifier: AGPL-3.0-or-later
#include "agent/ssh_connection.h"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>

#include "agent/known_hosts.h"
#include "agent/rsa_sha2_auth.h"
#include "agent/tcp_connect.h"
#include "core/agent_output.h"
#include "core/log.h"

namespace x2gobroker::agent {
namespace {

// How long a graceful disconnect or the final frees may block (destructor, pool eviction).
constexpr long kTeardownTimeoutMs = 500;

// libssh2 host-key method names that produce a key of a known_hosts key type. RSA keys are
// signed with SHA-2 when the server allows it (OpenSSH 8.8+ refuses ssh-rsa/SHA-1 by default).
std::string MethodsForKeyType(const std::string& type) {
  if (type == "ssh-rsa") return "rsa-sha2-512,rsa-sha2-256,ssh-rsa";
  if (type == "ssh-ed25519" || type == "ecdsa-sha2-nistp256" || type == "ecdsa-sha2-nistp384" ||
      type == "ecdsa-sha2-nistp521") {
    return type;
  }
  return "";
}

std::vector<std::string> HostNames(const core::AgentTarget& target) {
  std::vector<std::string> names{KnownHostsName(target.address, target.port)};
  if (!target.hostname.empty() && target.hostname != target.address) {
    names.push_back(KnownHostsName(target.hostname, target.port));
  }
  return names;
}

}  // namespace

HostKeyPolicy ParseHostKeyPolicy(const std::string& name) {
  if (name == "AutoAddPolicy") return HostKeyPolicy::kAutoAdd;
  if (name == "WarningPolicy") return HostKeyPolicy::kWarning;
  return HostKeyPolicy::kReject;
}

SshConnection::~SshConnection() {
  if (!session_) return;
  if (healthy_) {
    libssh2_session_set_timeout(session_.get(), kTeardownTimeoutMs);
    libssh2_session_set_blocking(session_.get(), 1);
    libssh2_session_disconnect(session_.get(), "x2gobroker: idle connection closed");
  } else if (fd_.valid()) {
    // Broken or hung peer: make every remaining libssh2 write fail at once instead of waiting.
    ::shutdown(fd_.get(), SHUT_RDWR);
  }
  libssh2_session_set_timeout(session_.get(), kTeardownTimeoutMs);
  session_.reset();
}

std::string SshConnection::LastError() {
  char* msg = nullptr;
  int len = 0;
  libssh2_session_last_error(session_.get(), &msg, &len, 0);
  return msg != nullptr ? core::Printable(std::string_view(msg, static_cast<size_t>(len))) : "unknown error";
}

core::Status SshConnection::Wait(const Deadline& deadline) {
  int directions = libssh2_session_block_directions(session_.get());
  short events = 0;
  if (directions & LIBSSH2_SESSION_BLOCK_INBOUND) events |= POLLIN;
  if (directions & LIBSSH2_SESSION_BLOCK_OUTBOUND) events |= POLLOUT;
  if (events == 0) events = POLLIN;
  pollfd p{fd_.get(), events, 0};
  for (;;) {
    int ms = deadline.remaining_ms();
    if (ms == 0) break;
    int n = ::poll(&p, 1, ms);
    if (n < 0 && errno == EINTR) continue;
    if (n != 0) return core::Status::Ok();  // ready, or an error the next libssh2 call reports
    break;
  }
  healthy_ = false;
  return core::DeadlineExceeded("agent host " + peer_ + " timed out");
}

core::Result<SshConnectionPtr> SshConnection::Open(const core::AgentTarget& target, const SshSettings& settings,
                                                   const Deadline& deadline) {
  if (!EnsureLibssh2Initialized()) return core::Internal("libssh2_init failed");
  auto fd = TcpConnect(target.address, target.port, deadline);
  if (!fd.ok()) return fd.status();
  SshConnectionPtr conn(new SshConnection());
  conn->fd_ = std::move(fd).value();
  conn->peer_ = target.address + ":" + std::to_string(target.port);
  conn->session_.reset(libssh2_session_init());
  if (!conn->session_) return core::Internal("libssh2_session_init failed");
  libssh2_session_set_blocking(conn->session_.get(), 0);
  // Ask for a host-key type we already know for this host (like OpenSSH), so that a server with
  // several host keys is checked against the pinned one instead of reported as unknown.
  std::string methods;
  for (const std::string& type : KnownKeyTypes(settings.known_hosts_files, HostNames(target))) {
    std::string m = MethodsForKeyType(type);
    if (!m.empty()) methods += (methods.empty() ? "" : ",") + m;
  }
  if (!methods.empty() && libssh2_session_method_pref(conn->session_.get(), LIBSSH2_METHOD_HOSTKEY, methods.c_str()) != 0) {
    core::LogDebug("agent: host-key method preference not applied for " + conn->peer_ + ": " + conn->LastError());
  }
  if (core::Status s = conn->Handshake(deadline); !s.ok()) return s;
  if (core::Status s = conn->CheckHostKey(target, settings); !s.ok()) return s;
  if (core::Status s = conn->Authenticate(settings, deadline); !s.ok()) return s;
  return conn;
}

core::Status SshConnection::Handshake(const Deadline& deadline) {
  int rc;
  while ((rc = libssh2_session_handshake(session_.get(), fd_.get())) == LIBSSH2_ERROR_EAGAIN) {
    if (core::Status s = Wait(deadline); !s.ok()) return core::DeadlineExceeded("SSH handshake with " + peer_ + " timed out");
  }
  if (rc != 0) {
    healthy_ = false;
    return core::Unavailable("SSH handshake with " + peer_ + " failed: " + LastError());
  }
  return core::Status::Ok();
}

core::Status SshConnection::CheckHostKey(const core::AgentTarget& target, const SshSettings& settings) {
  size_t len = 0;
  int type = 0;
  const char* key = libssh2_session_hostkey(session_.get(), &len, &type);
  if (key == nullptr || len == 0) {
    healthy_ = false;
    return core::Unavailable("no host key from " + peer_);
  }
  std::string_view blob(key, len);
  const std::vector<std::string> names = HostNames(target);
  const std::string what = KeyBlobType(blob) + " host key of " + peer_ +
                           (target.hostname.empty() ? "" : " (" + target.hostname + ")");
  HostKeyCheck check = CheckKnownHostsFiles(settings.known_hosts_files, names, blob);
  const HostKeyPolicy policy = ParseHostKeyPolicy(target.host_key_policy);
  if (check == HostKeyCheck::kUnknown && policy == HostKeyPolicy::kAutoAdd) {
    if (settings.pin_file.empty()) {
      healthy_ = false;
      return core::Unavailable("unknown " + what + " and no known_hosts file to pin it to");
    }
    core::Status s = PinHostKey(settings.pin_file, names[0], names, blob, &check);
    if (!s.ok()) {
      healthy_ = false;
      return core::Unavailable("cannot pin " + what + ": " + s.message());
    }
    if (check == HostKeyCheck::kUnknown) {
      core::LogWarning("agent: AutoAddPolicy: pinned new " + what + " in " + settings.pin_file);
      check = HostKeyCheck::kMatch;
    }
  }
  switch (check) {
    case HostKeyCheck::kMatch:
      return core::Status::Ok();
    case HostKeyCheck::kMismatch:
      healthy_ = false;
      core::LogError("agent: HOST KEY MISMATCH: " + what +
                     " differs from known_hosts (or is revoked); refusing to connect: possible man-in-the-middle");
      return core::Unavailable("host key mismatch for " + peer_);
    case HostKeyCheck::kUnknown:
      break;
  }
  if (policy == HostKeyPolicy::kWarning) {
    core::LogWarning("agent: WarningPolicy: accepting unknown " + what + " without checking it");
    return core::Status::Ok();
  }
  healthy_ = false;
  core::LogWarning("agent: RejectPolicy: unknown " + what + " refused (add it to known_hosts)");
  return core::Unavailable("unknown host key for " + peer_);
}

core::Status SshConnection::Authenticate(const SshSettings& settings, const Deadline& deadline) {
  const std::string& user = settings.login_user;
  std::string tried;
  for (const std::string& key : settings.private_keys) {
    int rc = LIBSSH2_ERROR_FILE;
    // RSA: SHA-2 signatures first (libssh2 1.10 itself only does ssh-rsa/SHA-1, which current
    // OpenSSH refuses); then libssh2's own path (old servers, OpenSSH-format RSA files).
    if (key.size() >= 7 && key.compare(key.size() - 7, 7, "/id_rsa") == 0) {
      while ((rc = UserauthRsaSha2(session_.get(), user, key)) == LIBSSH2_ERROR_EAGAIN) {
        if (core::Status s = Wait(deadline); !s.ok()) return core::DeadlineExceeded("SSH authentication to " + peer_ + " timed out");
      }
      if (rc == 0) return core::Status::Ok();
      core::LogDebug("agent: rsa-sha2-256 with " + key + " not accepted by " + peer_ + ": " +
                     (rc == LIBSSH2_ERROR_FILE ? "not a PEM RSA key" : LastError()));
      if (rc != LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED && rc != LIBSSH2_ERROR_AUTHENTICATION_FAILED && rc != LIBSSH2_ERROR_FILE) {
        break;
      }
    }
    // No public-key file: libssh2 derives the public key from the private one. Empty
    // passphrase: broker keys are unencrypted (the service starts unattended).
    while ((rc = libssh2_userauth_publickey_fromfile_ex(session_.get(), user.c_str(), static_cast<unsigned>(user.size()),
                                                        nullptr, key.c_str(), "")) == LIBSSH2_ERROR_EAGAIN) {
      if (core::Status s = Wait(deadline); !s.ok()) return core::DeadlineExceeded("SSH authentication to " + peer_ + " timed out");
    }
    if (rc == 0) return core::Status::Ok();
    core::LogDebug("agent: key " + key + " not accepted by " + peer_ + ": " + LastError());
    tried += (tried.empty() ? "" : ", ") + key;
    if (rc != LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED && rc != LIBSSH2_ERROR_AUTHENTICATION_FAILED &&
        rc != LIBSSH2_ERROR_FILE && rc != LIBSSH2_ERROR_METHOD_NOT_SUPPORTED) {
      break;  // the connection itself failed
    }
  }
  healthy_ = false;
  return core::Unavailable("SSH authentication as " + user + " to " + peer_ + " failed (tried " + tried + ")");
}

core::Result<ExecOutput> SshConnection::Exec(const std::string& command, const Deadline& deadline, bool* channel_failed) {
  *channel_failed = false;
  LIBSSH2_SESSION* s = session_.get();
  SshChannelPtr channel;
  for (;;) {
    channel.reset(libssh2_channel_open_session(s));
    if (channel) break;
    if (libssh2_session_last_errno(s) != LIBSSH2_ERROR_EAGAIN) {
      healthy_ = false;
      *channel_failed = true;
      return core::Unavailable("cannot open a channel to " + peer_ + ": " + LastError());
    }
    if (core::Status st = Wait(deadline); !st.ok()) return st;
  }
  int rc;
  while ((rc = libssh2_channel_process_startup(channel.get(), "exec", 4, command.data(),
                                               static_cast<unsigned>(command.size()))) == LIBSSH2_ERROR_EAGAIN) {
    if (core::Status st = Wait(deadline); !st.ok()) return st;
  }
  if (rc != 0) {
    healthy_ = false;
    return core::Unavailable("exec request refused by " + peer_ + ": " + LastError());
  }
  ExecOutput output;
  char buf[16384];
  for (;;) {
    bool progress = false;
    for (int stream : {0, SSH_EXTENDED_DATA_STDERR}) {
      std::string& sink = stream == 0 ? output.out : output.err;
      for (;;) {
        ssize_t n = libssh2_channel_read_ex(channel.get(), stream, buf, sizeof(buf));
        if (n == LIBSSH2_ERROR_EAGAIN || n == 0) break;
        if (n < 0) {
          healthy_ = false;
          return core::Unavailable("reading from " + peer_ + " failed: " + LastError());
        }
        progress = true;
        sink.append(buf, static_cast<size_t>(n));
        if (sink.size() > core::kMaxAgentOutputBytes) {
          healthy_ = false;  // unread data stays in the channel: never reuse it
          return core::Unavailable("agent output from " + peer_ + " over the limit");
        }
      }
    }
    if (libssh2_channel_eof(channel.get())) break;
    // A read of one stream may have pulled packets of the other into libssh2's queue: only
    // wait for the socket when nothing is queued, or the call would stall until the deadline.
    if (!progress && !libssh2_poll_channel_read(channel.get(), 1)) {
      if (core::Status st = Wait(deadline); !st.ok()) return st;
    }
  }
  while ((rc = libssh2_channel_close(channel.get())) == LIBSSH2_ERROR_EAGAIN) {
    if (core::Status st = Wait(deadline); !st.ok()) return st;
  }
  if (rc == 0) {
    while ((rc = libssh2_channel_wait_closed(channel.get())) == LIBSSH2_ERROR_EAGAIN) {
      if (core::Status st = Wait(deadline); !st.ok()) return st;
    }
  }
  // The output is complete at EOF; a failed close only means the connection is not reusable.
  if (rc != 0) healthy_ = false;
  output.exit_status = libssh2_channel_get_exit_status(channel.get());
  return output;
}

}  // namespace x2gobroker::agent
