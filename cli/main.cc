// SPDX-License-Identifier: AGPL-3.0-or-later
// x2gobroker: the X2Go Session Broker for ssh:// broker URLs (PROTOCOL.md §8). X2Go Client runs
// it over SSH once per request; it answers for the SSH user with the plain frontend's bytes
// (one extra "\n") through the same core::Broker as x2gobroker-fcgi, logs to stderr, prints
// nothing when access is denied, and exits non-zero only on errors.
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/identity.h"
#include "cli/options.h"
#include "cli/setuid_guard.h"
#include "cli/ssh_request.h"
#include "config/broker_config_loader.h"
#include "core/broker.h"
#include "core/log.h"
#include "fcgi/broker_loader.h"

namespace x2gobroker::cli {
namespace {

constexpr const char* kProgram = "x2gobroker";
// The reference's exit status when no task is given.
constexpr int kNoTaskExit = 254;

int Fail(const std::string& message) {
  fprintf(stderr, "%s: %s\n", kProgram, message.c_str());
  return 1;
}

bool WriteAll(const std::string& text) {
  if (!text.empty() && fwrite(text.data(), 1, text.size(), stdout) != text.size()) return false;
  return fflush(stdout) == 0;
}

int Main(int argc, char** argv) {
  core::Result<CliOptions> parsed = ParseCliOptions(std::vector<std::string>(argv + 1, argv + argc));
  if (!parsed.ok()) {
    fprintf(stderr, "%s: %s\nTry '%s --help'.\n", kProgram, parsed.status().message().c_str(), kProgram);
    return 2;
  }
  const CliOptions& options = parsed.value();
  if (options.help) {
    std::cout << UsageText(kProgram);
    return 0;
  }
  if (options.debug) core::SetLogLevel(core::LogLevel::kDebug);

  const bool setuid = RunningSetuid();
  if (setuid) {
    if (options.config_file) return Fail("-C/--config-file is not allowed through the setuid wrapper");
    if (int dropped = DropCallerBrokerEnvironment(); dropped > 0) {
      core::LogWarning("running setuid: ignoring " + std::to_string(dropped) + " X2GOBROKER_* environment variable(s)");
    }
  }
  // The reference's CLI reads defaults.conf's [DEFAULT] section (the empty program name).
  core::BrokerEnvironment env = config::EnvironmentFromProcess("");
  if (options.config_file) env.config_file = *options.config_file;
  if (options.debug) env.debug = true;

  core::Result<fcgi::BrokerServicesOwnerPtr> services = fcgi::MakeBrokerServices();
  if (!services.ok()) return Fail(services.status().message());
  const core::BrokerServices& view = services.value()->view;
  if (options.check_config) return fcgi::CheckConfig(env, view, std::cout);

  if (!options.task || options.task->empty()) {
    std::cout << UsageText(kProgram) << "No task specified, doing nothing...\n\n";
    return kNoTaskExit;
  }

  core::Result<fcgi::HandlerPtr> loaded = fcgi::LoadBroker(env, view, nullptr);
  if (!loaded.ok()) return Fail(loaded.status().message());
  auto broker = std::dynamic_pointer_cast<const core::Broker>(loaded.value());
  if (broker == nullptr) return Fail("internal error: the loaded handler is not a broker");
  const core::BrokerConfig& config = broker->config();

  core::Result<BrokerIdentity> identity = ResolveBrokerUser(CallerFromProcess(), options.user, config.env.daemon_user);
  if (!identity.ok()) return Fail(identity.status().message());
  for (const std::string& warning : identity->warnings) core::LogWarning(warning);
  core::Result<std::string> client = ClientAddressFromSshClient(std::getenv("SSH_CLIENT"));
  if (!client.ok()) return Fail(client.status().message());

  SshBrokerCall call;
  call.backend = options.backend ? *options.backend : config.env.default_backend;
  if (broker->backend(call.backend) == nullptr) {
    return Fail("unknown or disabled backend '" + core::Printable(call.backend) + "'");
  }
  call.task = *options.task;
  call.user = identity->user;
  call.login = options.login;
  call.authid = options.authid;
  call.profile_id = options.profile_id;
  call.client_address = client.value();

  core::HttpResponse response = broker->Handle(MakePlainRequest(call));
  CliOutcome outcome = RenderOutcome(response, call);
  if (outcome.log) core::Log(outcome.log->first, outcome.log->second);
  if (response.error.ok() && call.task == "clientevent") core::LogInfo(DescribeClientEvent(options, call.user));
  if (!WriteAll(outcome.out)) return Fail("cannot write the answer to stdout");
  return outcome.exit_code;
}

}  // namespace
}  // namespace x2gobroker::cli

int main(int argc, char** argv) { return x2gobroker::cli::Main(argc, argv); }
