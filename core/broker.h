// SPDX-License-Identifier: AGPL-3.0-or-later
// The broker: one immutable snapshot of configuration and profile backends that answers
// /plain/, /json/, /uccs/ and / requests (PROTOCOL.md §1, §5, §6). A reload builds a new
// Broker and swaps it in; requests in flight keep the snapshot they started with.
#pragma once

#include <functional>
#include <memory>

#include "core/agent_services.h"
#include "core/authenticator.h"
#include "core/broker_config.h"
#include "core/cookie_store.h"
#include "core/http.h"
#include "core/request_hooks.h"
#include "core/session_backend.h"
#include "core/status.h"

namespace x2gobroker::core {

class GroupResolver;
class PortProber;

// Makes the cookie store for a configuration (it depends on cookie-directory).
using CookieStoreFactory = std::function<Result<CookieStorePtr>(const BrokerConfig&)>;

// Services the broker uses that outlive a configuration snapshot. Must outlive every Broker.
struct BrokerServices {
  const SessionBackendRegistry* backends = nullptr;
  const GroupResolver* groups = nullptr;
  const PortProber* prober = nullptr;
  // Authentication mechanisms by name (`none`, `pam`, `https_get`); null = only `none`.
  const AuthenticatorRegistry* authenticators = nullptr;
  // Null: no cookie store, so configurations that issue AUTHIDs answer 503.
  CookieStoreFactory cookie_store_factory;
  // Null: no agents at all (every query mode behaves like NONE).
  AgentServicesFactory agent_services_factory;
  // The optional scripts of a configuration (§1.7); null: none are run.
  std::function<RequestHooksPtr(const BrokerConfig&)> request_hooks_factory;
};

class Broker : public RequestHandler {
 public:
  // Builds a snapshot. `previous` (may be null) lends its backends' last good profiles to
  // backends whose files fail to load now. Fails only if the configuration itself is unusable.
  static Result<std::shared_ptr<const Broker>> Create(BrokerConfig config, const BrokerServices& services,
                                                      const Broker* previous);
  virtual const BrokerConfig& config() const = 0;
  // The backend instance of `name`, or nullptr (used to carry good profiles across reloads).
  virtual const SessionBackend* backend(const std::string& name) const = 0;
};
using BrokerPtr = std::shared_ptr<const Broker>;

}  // namespace x2gobroker::core
