// SPDX-License-Identifier: AGPL-3.0-or-later
// x2gobroker-testauth: checks a password with a backend's authentication mechanism, selected
// exactly as the broker selects it (PROTOCOL.md §4.4, §12.3). See TestauthUsage().
#include <string.h>

#include <iostream>
#include <string>
#include <vector>

#include "backends/register_builtin.h"
#include "core/authenticator.h"
#include "core/log.h"
#include "core/string_util.h"
#include "tools/password_input.h"
#include "tools/testauth_options.h"
#include "tools/tool_config.h"

namespace {

using namespace x2gobroker;

constexpr const char* kTool = "x2gobroker-testauth";
// The reference's texts and exit status.
constexpr const char* kSucceeded = "Authentication succeeded.";
constexpr const char* kFailed = "Authentication failed!";
constexpr int kExitFailed = 255;

int Failed(const std::string& why) {
  if (!why.empty()) std::cerr << kTool << ": " << why << '\n';
  std::cout << kFailed << std::endl;
  return kExitFailed;
}

}  // namespace

int main(int argc, char** argv) {
  tools::TestauthOptions o;
  std::vector<std::string> args(argv + 1, argv + argc);
  core::Status parsed = tools::ParseTestauthOptions(args, &o);
  for (std::string& arg : args) explicit_bzero(arg.data(), arg.size());
  if (!parsed.ok()) {
    std::cerr << kTool << ": " << parsed.message() << " (--help for usage)\n";
    return 2;
  }
  // The password may sit in argv: wipe our copy there (ps shows it until this point).
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if ((arg == "-p" || arg == "--password") && i + 1 < argc) explicit_bzero(argv[i + 1], ::strlen(argv[i + 1]));
    if (core::StartsWith(arg, "--password=")) explicit_bzero(argv[i] + 11, ::strlen(argv[i] + 11));
  }
  if (o.help) {
    std::cout << tools::TestauthUsage();
    return 0;
  }
  core::SetLogLevel(o.debug ? core::LogLevel::kDebug : core::LogLevel::kError);

  auto config = tools::LoadToolConfig(o.config_file);
  if (!config.ok()) {
    std::cerr << kTool << ": " << config.status().message() << '\n';
    return 2;
  }
  const std::string backend = o.backend.empty() ? config->env.default_backend : o.backend;
  if (config->Backend(backend) == nullptr && !config->backends.empty()) {
    std::cerr << kTool << ": unknown backend: " << core::Printable(backend) << '\n';
    return 2;
  }
  const std::string mech = config->AuthMechFor(backend);
  core::AuthenticatorRegistry registry;
  if (core::Status s = backends::RegisterBuiltinAuthenticators(registry); !s.ok()) return Failed(s.message());
  const core::AuthenticatorFactory* factory = registry.Find(mech);
  // As in the broker: an unknown mechanism fails every login (§4.4).
  if (factory == nullptr) return Failed("authentication mechanism '" + mech + "' is not available in this build");
  auto authenticator = factory->Create(*config);
  if (!authenticator.ok()) return Failed("mechanism " + mech + ": " + authenticator.status().message());

  core::SecretString password;
  if (o.password) {
    password = std::move(*o.password);
  } else {
    auto read = tools::ReadPassword("Password for " + o.user + ": ");
    if (!read.ok()) return Failed(read.status().message());
    password = std::move(read).value();
  }
  core::LogDebug("checking user " + core::Printable(o.user) + " of backend " + backend + " with mechanism " + mech);
  std::string plain(password.view());
  auto result = (*authenticator)->Authenticate(o.user, plain, "");
  explicit_bzero(plain.data(), plain.size());
  if (!result.ok()) return Failed("mechanism " + mech + " could not be asked: " + result.status().message());
  if (!*result) return Failed("");
  std::cout << kSucceeded << std::endl;
  return 0;
}
