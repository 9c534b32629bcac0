// SPDX-License-Identifier: AGPL-3.0-or-later
// x2gobroker-authservice: the privileged PAM helper of the broker (PROTOCOL.md §11.1, "our
// broker"; shared/STYLE.md "The PAM helper follows OpenSSH's monitor"). Runs as root, so that
// pam_unix can read /etc/shadow; the broker's workers run unprivileged and ask it over a UNIX
// socket. See options.cc for the command line and server.h for what happens per connection.
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "backends/auth_pam/authservice/listen_socket.h"
#include "backends/auth_pam/authservice/options.h"
#include "backends/auth_pam/authservice/server.h"
#include "backends/auth_pam/pam_check.h"
#include "core/log.h"

#ifndef BROKER_VERSION
#define BROKER_VERSION "unknown"
#endif

namespace {

using namespace x2gobroker;
using namespace x2gobroker::backends::auth_pam;

std::optional<unsigned long> Numeric(const std::string& text) {
  unsigned long value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<uid_t> LookupUid(const std::string& name) {
  if (auto n = Numeric(name)) return static_cast<uid_t>(*n);
  passwd pw{};
  passwd* found = nullptr;
  std::vector<char> buffer(16384);
  if (getpwnam_r(name.c_str(), &pw, buffer.data(), buffer.size(), &found) != 0 || found == nullptr) {
    return std::nullopt;
  }
  return found->pw_uid;
}

std::optional<gid_t> LookupGid(const std::string& name) {
  if (auto n = Numeric(name)) return static_cast<gid_t>(*n);
  group gr{};
  group* found = nullptr;
  std::vector<char> buffer(65536);
  if (getgrnam_r(name.c_str(), &gr, buffer.data(), buffer.size(), &found) != 0 || found == nullptr) {
    return std::nullopt;
  }
  return found->gr_gid;
}

int Fail(const std::string& message) {
  core::LogError(message);
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string program = "x2gobroker-authservice";
  core::Result<AuthserviceOptions> parsed =
      ParseAuthserviceOptions(std::vector<std::string>(argv + 1, argv + argc), AuthserviceEnvironmentFromProcess());
  if (!parsed.ok()) {
    std::cerr << program << ": " << parsed.status().message() << "\nTry '" << program << " --help'.\n";
    return 2;
  }
  const AuthserviceOptions& options = parsed.value();
  if (options.help) {
    std::cout << AuthserviceUsage(program);
    return 0;
  }
  if (options.version) {
    std::cout << program << " " << BROKER_VERSION << "\n";
    return 0;
  }
  core::SetLogLevel(options.debug ? core::LogLevel::kDebug : core::LogLevel::kInfo);

  std::optional<uid_t> owner = LookupUid(options.owner);
  if (!owner) return Fail("--owner: unknown user " + options.owner);
  std::optional<gid_t> group = LookupGid(options.group);
  if (!group) return Fail("--group: unknown group " + options.group + " (create it, or pass -g)");
  AuthServerConfig config;
  if (options.allow_uids.empty()) {
    std::optional<uid_t> daemon = LookupUid(options.daemon_user);
    if (!daemon) {
      return Fail("the broker's user " + options.daemon_user +
                  " does not exist; create it or name the allowed peers with --allow-uid");
    }
    config.allowed_uids = {0, *daemon};
  } else {
    for (const std::string& name : options.allow_uids) {
      std::optional<uid_t> uid = LookupUid(name);
      if (!uid) return Fail("--allow-uid: unknown user " + name);
      config.allowed_uids.insert(*uid);
    }
  }
  if (geteuid() != 0) {
    core::LogWarning("not running as root: pam_unix cannot read /etc/shadow, most logins will fail");
  }
  struct stat st{};
  if (stat(("/etc/pam.d/" + options.pam_service).c_str(), &st) != 0) {
    core::LogWarning("/etc/pam.d/" + options.pam_service + " is missing: PAM falls back to /etc/pam.d/other");
  }
  if (options.throttle.cap + options.fail_delay >= std::chrono::milliseconds(20000)) {
    core::LogWarning("--fail-delay-max plus --fail-delay reach the broker's 20 s answer time-out: throttled "
                     "logins will be answered 503 by the broker");
  }

  // Signals: SIGTERM/SIGINT stop, SIGHUP is ignored (nothing to reload); all through a
  // signalfd, blocked before any thread starts so that no thread takes them. SIGPIPE: a broker
  // that hung up must not kill us (sends use MSG_NOSIGNAL as well).
  signal(SIGPIPE, SIG_IGN);
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGTERM);
  sigaddset(&mask, SIGINT);
  sigaddset(&mask, SIGHUP);
  if (pthread_sigmask(SIG_BLOCK, &mask, nullptr) != 0) return Fail("pthread_sigmask failed");
  sigset_t stop_mask;
  sigemptyset(&stop_mask);
  sigaddset(&stop_mask, SIGTERM);
  sigaddset(&stop_mask, SIGINT);
  core::UniqueFd stop_fd(signalfd(-1, &stop_mask, SFD_CLOEXEC | SFD_NONBLOCK));
  if (!stop_fd.valid()) return Fail("signalfd failed");

  core::Result<ListenSocket> listener = CreateListenSocket(options.socket_path, *owner, *group, options.permissions);
  if (!listener.ok()) return Fail(listener.status().message());

  std::string allowed;
  for (uid_t uid : config.allowed_uids) allowed += (allowed.empty() ? "" : ",") + std::to_string(uid);
  char mode[8];
  snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(options.permissions));
  core::LogInfo(program + " " + BROKER_VERSION + " listening on " + options.socket_path + " (" + options.owner + ":" +
                options.group + " " + mode + "), PAM service " + options.pam_service + ", allowed uids " + allowed +
                ", max-concurrent " + std::to_string(options.max_concurrent));

  config.max_concurrent = options.max_concurrent;
  config.max_connections = static_cast<size_t>(options.max_connections);
  config.read_timeout = options.read_timeout;
  config.fail_delay = options.fail_delay;
  config.throttle = options.throttle;
  const std::string service = options.pam_service;
  config.check = [service](const std::string& user, const core::SecretString& password, const std::string& rhost) {
    return CheckPamPassword(service, user, password, rhost);
  };
  AuthServer server(std::move(config), listener->fd.get());
  core::Status status = server.Run(stop_fd.get());
  RemoveListenSocket(listener.value());
  if (!status.ok()) return Fail(status.message());
  core::LogInfo(program + " stopped");
  return 0;
}
