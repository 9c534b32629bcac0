// SPDX-License-Identifier: AGPL-3.0-or-later
#include "fcgi/broker_loader.h"

#include <ostream>
#include <string>
#include <vector>

#include "agent/agent_services_factory.h"
#include "backends/cookie_store/file_cookie_store.h"
#include "backends/optional_scripts/script_hooks.h"
#include "backends/register_builtin.h"
#include "config/broker_config_loader.h"
#include "core/diagnostic.h"
#include "core/log.h"
#include "core/nss_group_resolver.h"

namespace x2gobroker::fcgi {

core::Result<BrokerServicesOwnerPtr> MakeBrokerServices() {
  auto owner = std::make_unique<BrokerServicesOwner>();
  if (auto status = backends::RegisterBuiltinBackends(owner->registry); !status.ok()) return status;
  if (auto status = backends::RegisterBuiltinAuthenticators(owner->authenticators); !status.ok()) return status;
  owner->groups = std::make_unique<core::NssGroupResolver>();
  owner->prober = std::make_unique<core::TcpPortProber>();
  owner->view.backends = &owner->registry;
  owner->view.authenticators = &owner->authenticators;
  owner->view.groups = owner->groups.get();
  owner->view.prober = owner->prober.get();
  owner->view.cookie_store_factory = backends::cookie_store::MakeFileCookieStoreFactory();
  owner->view.agent_services_factory = agent::MakeAgentServices;
  owner->view.request_hooks_factory = [](const core::BrokerConfig& config) -> core::RequestHooksPtr {
    return backends::optional_scripts::ScriptHooks::FromConfig(config);
  };
  return owner;
}

core::Result<HandlerPtr> LoadBroker(const core::BrokerEnvironment& env, const core::BrokerServices& services,
                                    const core::RequestHandler* previous) {
  std::vector<std::string> warnings;
  core::Result<core::BrokerConfig> config = config::LoadBrokerConfig(env, &warnings);
  if (!config.ok()) return config.status();
  for (const std::string& warning : warnings) core::LogWarning(warning);
  // Every snapshot the holder keeps was made here, so `previous` is a Broker; the cast only
  // guards against a test handler sneaking in.
  const auto* previous_broker = dynamic_cast<const core::Broker*>(previous);
  core::Result<core::BrokerPtr> broker = core::Broker::Create(std::move(config).value(), services, previous_broker);
  if (!broker.ok()) return broker.status();
  return HandlerPtr(std::move(broker).value());
}

int CheckConfig(const core::BrokerEnvironment& env, const core::BrokerServices& services, std::ostream& out) {
  int errors = 0;
  int warning_count = 0;
  std::vector<std::string> warnings;
  core::Result<core::BrokerConfig> config = config::LoadBrokerConfig(env, &warnings);
  for (const std::string& warning : warnings) {
    out << "warning: " << warning << "\n";
    ++warning_count;
  }
  if (!config.ok()) {
    out << "error: " << config.status().message() << "\n";
    ++errors;
  } else {
    std::vector<std::string> backend_names;
    for (const auto& [name, section] : config->backends) backend_names.push_back(name);
    core::Result<core::BrokerPtr> broker = core::Broker::Create(config.value(), services, nullptr);
    if (!broker.ok()) {
      out << "error: " << broker.status().message() << "\n";
      ++errors;
    } else {
      for (const std::string& name : backend_names) {
        const core::SessionBackend* backend = broker.value()->backend(name);
        if (backend == nullptr) continue;  // disabled or not compiled in
        for (const core::Diagnostic& d : backend->Diagnostics()) {
          bool error = d.severity == core::Diagnostic::Severity::kError;
          out << (error ? "error: " : "warning: ") << d.text << "\n";
          ++(error ? errors : warning_count);
        }
      }
    }
  }
  if (errors == 0) {
    out << env.config_file << ": configuration OK (" << warning_count << " warning(s))\n";
  } else {
    out << env.config_file << ": " << errors << " error(s), " << warning_count << " warning(s)\n";
  }
  return errors == 0 ? 0 : 1;
}

}  // namespace x2gobroker::fcgi
