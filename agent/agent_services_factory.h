// SPDX-License-Identifier: AGPL-3.0-or-later
// MakeAgentServices: the agent side of one configuration snapshot for x2gobroker-fcgi (see
// core/agent_services.h): the SSH client with the broker's key, the local agent, the load
// checker's socket, the RSA key generator and the persistent key deletion queue. Pieces that
// cannot be set up are left out and logged (once per load) where the configuration needs
// them; they never stop the broker from serving. Starts no threads (pre-fork safe).
#pragma once

#include "core/agent_services.h"
#include "core/broker_config.h"

namespace x2gobroker::agent {

core::Result<core::AgentServices> MakeAgentServices(const core::BrokerConfig& config);

}  // namespace x2gobroker::agent
