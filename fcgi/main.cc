// SPDX-License-Identifier: AGPL-3.0-or-later
// x2gobroker-fcgi: the X2Go Session Broker as a FastCGI application. Parses the options, loads
// and validates the configuration (a broken one stops start-up), opens or inherits the listen
// socket, then serves in this process or in pre-forked workers.
#include <fcgiapp.h>

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "config/broker_config_loader.h"
#include "core/broker_metrics.h"
#include "core/log.h"
#include "fcgi/broker_loader.h"
#include "fcgi/listen_socket.h"
#include "fcgi/options.h"
#include "fcgi/prefork.h"
#include "fcgi/server.h"
#include "fcgi/snapshot_holder.h"

#ifndef BROKER_VERSION
#define BROKER_VERSION "unknown"
#endif

namespace x2gobroker::fcgi {
namespace {

constexpr const char* kProgram = "x2gobroker-fcgi";

std::string Describe(const SocketSpec& spec) {
  switch (spec.kind) {
    case SocketSpec::Kind::kUnix: return "unix:" + spec.path;
    case SocketSpec::Kind::kTcp: return spec.host + ":" + spec.port;
    case SocketSpec::Kind::kInherited: return "the inherited socket";
  }
  return "?";
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
  // Before the configuration: its errors must reach the log files too. A directory that cannot
  // be written stops start-up (an admin asked for files, not for silence).
  if (options.log_dir && !options.check_config) {
    if (auto status = core::OpenLogFiles(*options.log_dir); !status.ok()) {
      fprintf(stderr, "%s: %s\n", kProgram, status.message().c_str());
      return 1;
    }
  }
  // Declares every series now, before any thread or fork (core/metrics.h).
  core::metrics::Registry& metrics = core::BrokerMetrics();

  core::BrokerEnvironment env = config::EnvironmentFromProcess("daemon");
  if (options.config_file) env.config_file = *options.config_file;
  if (options.debug) env.debug = true;

  core::Result<BrokerServicesOwnerPtr> services = MakeBrokerServices();
  if (!services.ok()) {
    fprintf(stderr, "%s: %s\n", kProgram, services.status().message().c_str());
    return 1;
  }
  const core::BrokerServices& view = services.value()->view;
  if (options.check_config) return CheckConfig(env, view, std::cout);

  core::Result<HandlerPtr> initial = LoadBroker(env, view, nullptr);
  if (!initial.ok()) {
    fprintf(stderr, "%s: %s\n", kProgram, initial.status().message().c_str());
    return 1;
  }
  SnapshotHolder holder(std::move(initial).value(), [&env, &view](const core::RequestHandler& previous) {
    return LoadBroker(env, view, &previous);
  });
  // With --workers, the master and every worker reload on each SIGHUP: only the master's
  // reloads are counted, so that one SIGHUP is one reload in the metrics.
  const pid_t counting_pid = getpid();
  holder.set_reload_observer([counting_pid](bool replaced) {
    if (getpid() == counting_pid) core::RecordConfigReload(replaced);
  });

  // Signals are taken with sigwait/sigtimedwait, never by handlers: block them first, so that
  // libfcgi's own SIGTERM handler (installed by FCGX_Init) can never run. A SIGTERM from now
  // on waits until the server is up and then stops it cleanly.
  BlockServerSignals(/*with_sigchld=*/options.workers > 0);
  // Before any thread exists: FCGX_Init installs process-wide handlers (SIGPIPE → EPIPE), and
  // the socket is created under a temporary umask.
  if (int rc = FCGX_Init(); rc != 0) {
    fprintf(stderr, "%s: FCGX_Init failed (%d)\n", kProgram, rc);
    return 1;
  }
  core::Result<ListenSocket> listen = OpenListenSocket(options.socket, options.socket_mode, options.backlog);
  if (!listen.ok()) {
    fprintf(stderr, "%s: %s\n", kProgram, listen.status().message().c_str());
    return 1;
  }
  if (auto status = SetNonBlocking(listen->fd.get()); !status.ok()) {
    fprintf(stderr, "%s: %s\n", kProgram, status.message().c_str());
    return 1;
  }

  ServerSettings server;
  server.listen_fd = listen->fd.get();
  server.threads = options.threads;
  core::LogInfo(std::string(kProgram) + " " + BROKER_VERSION + ": serving on " + Describe(options.socket) + " with " +
                std::to_string(options.workers > 0 ? options.workers : 1) + " process(es) x " +
                std::to_string(options.threads) + " thread(s)" + (env.debug ? ", debug mode" : ""));
  int rc;
  if (options.workers > 0) {
    server.watch_files = false;  // the master watches and tells the workers
    // One metrics slot per worker plus the master's (the last), in shared memory: whichever
    // worker answers /metrics reports the sum (core/metrics.h).
    const auto master_slot = static_cast<size_t>(options.workers);
    if (auto status = metrics.ShareAcrossProcesses(master_slot + 1); status.ok()) {
      metrics.UseSlot(master_slot);
    } else {
      core::LogWarning(status.message() + ": /metrics shows only the answering worker's numbers");
    }
    PreforkSettings prefork;
    prefork.workers = options.workers;
    prefork.worker_started = [&metrics](size_t slot) { metrics.UseSlot(slot); };
    prefork.worker_main = [&server, &holder] { return RunServer(server, holder); };
    prefork.reload = [&holder] { holder.Reload(); };
    prefork.watched_files = [&holder] { return holder.Current()->WatchedFiles(); };
    rc = RunPrefork(prefork);
  } else {
    rc = RunServer(server, holder);
  }
  RemoveCreatedSocket(listen.value());
  return rc;
}

}  // namespace
}  // namespace x2gobroker::fcgi

int main(int argc, char** argv) { return x2gobroker::fcgi::Main(argc, argv); }
