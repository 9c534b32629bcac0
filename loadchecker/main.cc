// SPDX-License-Identifier: AGPL-3.0-or-later
// x2gobroker-loadchecker: the load checker daemon (PROTOCOL.md §11.2, issue #4). Loads
// x2gobroker.conf (a broken one stops start-up), creates its UNIX socket, then polls and
// serves until SIGTERM/SIGINT; SIGHUP reloads. Also the ops tools --once (one cycle, table to
// stdout) and --query (ask the running daemon, the broker's own client).
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "backends/auth_pam/authservice/listen_socket.h"
#include "backends/register_builtin.h"
#include "config/broker_config_loader.h"
#include "core/load_checker_client.h"
#include "core/log.h"
#include "loadchecker/load_server.h"
#include "loadchecker/options.h"
#include "loadchecker/poll_loop.h"

#ifndef BROKER_VERSION
#define BROKER_VERSION "unknown"
#endif

namespace x2gobroker::loadchecker {
namespace {

constexpr const char* kProgram = "x2gobroker-loadchecker";

int Query(const std::string& socket, const std::string& backend, const std::string& profile) {
  core::SocketLoadChecker checker(socket);
  core::Result<std::map<std::string, core::LoadFactor>> loads = checker.ProfileLoad(backend, profile);
  if (!loads.ok()) {
    fprintf(stderr, "%s: %s\n", kProgram, loads.status().message().c_str());
    return loads.status().code() == core::StatusCode::kInvalidArgument ? 2 : 3;
  }
  for (const auto& [host, factor] : *loads) std::cout << host << ":" << core::FormatLoadFactor(factor) << "\n";
  return 0;
}

int Once(const core::BrokerEnvironment& env, const core::SessionBackendRegistry& registry) {
  core::Result<DaemonConfigPtr> config = LoadDaemonConfig(env, /*open_key_deletions=*/false);
  if (!config.ok()) {
    fprintf(stderr, "%s: %s\n", kProgram, config.status().message().c_str());
    return 1;
  }
  ProfileBackends backends(registry);
  LoadTable table;
  std::atomic<bool> never{false};
  const CycleSummary summary = RunPollCycle(*config, backends, table, never);
  if (summary.profiles == 0) core::LogWarning("no profile uses the load checker in SSH mode");
  for (const auto& [key, hosts] : *table.Snapshot()) {
    for (const auto& [host, factor] : hosts) {
      std::cout << key.first << "\t" << key.second << "\t" << host << "\t" << core::FormatLoadFactor(factor) << "\n";
    }
  }
  return 0;
}

// Blocks the signals that sigwait takes, before any thread exists (threads inherit the mask).
sigset_t BlockSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGHUP);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  // A peer that goes away must be an EPIPE, not the end of the daemon (libssh2 writes too).
  signal(SIGPIPE, SIG_IGN);
  return set;
}

int Serve(const core::BrokerEnvironment& env, const core::SessionBackendRegistry& registry, const std::string& socket,
          mode_t socket_mode) {
  const sigset_t signals = BlockSignals();
  core::Result<DaemonConfigPtr> config = LoadDaemonConfig(env, /*open_key_deletions=*/true);
  if (!config.ok()) {
    fprintf(stderr, "%s: %s\n", kProgram, config.status().message().c_str());
    return 1;
  }
  core::Result<backends::auth_pam::ListenSocket> listen =
      backends::auth_pam::CreateListenSocket(socket, ::geteuid(), ::getegid(), socket_mode);
  if (!listen.ok()) {
    fprintf(stderr, "%s: %s\n", kProgram, listen.status().message().c_str());
    return 1;
  }
  LoadTable table;
  LoadServerConfig server_config;
  server_config.allowed_uids = {::geteuid(), 0};
  LoadServer server(server_config, listen->fd.get(), table);
  if (core::Status s = server.Start(); !s.ok()) {
    fprintf(stderr, "%s: %s\n", kProgram, s.message().c_str());
    backends::auth_pam::RemoveListenSocket(*listen);
    return 1;
  }
  PollLoop loop(env, registry, table, *config);
  loop.Start();
  core::LogInfo(std::string(kProgram) + " " + BROKER_VERSION + ": serving on " + socket + ", polling every " +
                std::to_string((*config)->config.load_checker_intervals) + "s");
  for (;;) {
    int sig = 0;
    if (sigwait(&signals, &sig) != 0) continue;
    if (sig == SIGHUP) {
      core::LogInfo("SIGHUP: reloading " + env.config_file);
      loop.RequestReload();
      continue;
    }
    core::LogInfo(std::string(sig == SIGTERM ? "SIGTERM" : "SIGINT") + ": exiting");
    break;
  }
  // The socket goes first, so that no broker connects to a daemon that no longer answers.
  backends::auth_pam::RemoveListenSocket(*listen);
  server.Stop();
  loop.Stop();
  return 0;
}

int Main(int argc, char** argv) {
  core::Result<Options> parsed = ParseOptions(std::vector<std::string>(argv + 1, argv + argc));
  if (!parsed.ok()) {
    fprintf(stderr, "%s: %s\nTry '%s --help'.\n", kProgram, parsed.status().message().c_str(), kProgram);
    return 2;
  }
  const Options& options = parsed.value();
  if (options.help) {
    std::cout << UsageText(kProgram);
    return 0;
  }
  if (options.version) {
    std::cout << kProgram << " " << BROKER_VERSION << "\n";
    return 0;
  }
  if (options.log_level) core::SetLogLevel(*options.log_level);

  core::BrokerEnvironment env = config::EnvironmentFromProcess("loadchecker");
  if (options.config_file) env.config_file = *options.config_file;
  const std::string socket = options.socket ? *options.socket : env.loadchecker_socket;
  if (options.query) return Query(socket, options.query->first, options.query->second);

  core::SessionBackendRegistry registry;
  if (core::Status s = backends::RegisterBuiltinBackends(registry); !s.ok()) {
    fprintf(stderr, "%s: %s\n", kProgram, s.message().c_str());
    return 1;
  }
  if (options.once) return Once(env, registry);
  return Serve(env, registry, socket, options.socket_mode);
}

}  // namespace
}  // namespace x2gobroker::loadchecker

int main(int argc, char** argv) { return x2gobroker::loadchecker::Main(argc, argv); }
