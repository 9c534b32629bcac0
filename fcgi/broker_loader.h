// SPDX-License-Identifier: AGPL-3.0-or-later
// Wiring of the real broker for x2gobroker-fcgi: the long-lived services (backend registry, NSS
// group resolver, port prober), loading x2gobroker.conf into a core::Broker snapshot, and
// --check-config. Its own library (broker_loader), linked by x2gobroker-fcgi and the SSH CLI
// x2gobroker, since it links config/ and backends/ (broker_fcgi depends on core/ alone).
#pragma once

#include <iosfwd>
#include <memory>

#include "core/acl.h"
#include "core/broker.h"
#include "core/broker_config.h"
#include "core/port_prober.h"
#include "core/session_backend.h"
#include "core/status.h"
#include "fcgi/snapshot_holder.h"

namespace x2gobroker::fcgi {

// Services shared by every snapshot; must outlive them all (declare before the holder).
struct BrokerServicesOwner {
  core::SessionBackendRegistry registry;
  core::AuthenticatorRegistry authenticators;  // none, pam, https_get
  std::unique_ptr<core::GroupResolver> groups;
  std::unique_ptr<core::PortProber> prober;
  core::BrokerServices view;  // points into the members above
};
using BrokerServicesOwnerPtr = std::unique_ptr<BrokerServicesOwner>;

// Registers the built-in backends and authentication mechanisms and creates the NSS group
// resolver and the TCP prober.
core::Result<BrokerServicesOwnerPtr> MakeBrokerServices();

// Loads env.config_file and builds a broker; config warnings are logged. `previous` is the
// running broker or null. Failure: the loader's "file:line: problem" status.
core::Result<HandlerPtr> LoadBroker(const core::BrokerEnvironment& env, const core::BrokerServices& services,
                                    const core::RequestHandler* previous);

// --check-config: loads everything, writes each problem to `out` as "error: file:line: problem"
// or "warning: ...", then a summary. Returns the exit code: 1 if there is any error, else 0.
int CheckConfig(const core::BrokerEnvironment& env, const core::BrokerServices& services, std::ostream& out);

}  // namespace x2gobroker::fcgi
