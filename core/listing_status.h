// SPDX-License-Identifier: AGPL-3.0-or-later
// Session status in profile listings (PROTOCOL.md §10.7): with an agent, a profile on whose
// hosts the user has a suspended session is listed with `status=S` and that host, one with a
// running session with `status=R`, any other with its first host. One agent per farm is asked
// per request (profiles with the same hosts share the answer), different farms concurrently.
#pragma once

#include <string>
#include <vector>

#include "core/agent_services.h"
#include "core/broker_config.h"
#include "core/broker_tasks.h"

namespace x2gobroker::core {

void MarkSessionStatus(const BrokerConfig& config, const AgentServices& agents, const std::string& backend,
                       const std::string& user, std::vector<VisibleProfile>* profiles);

}  // namespace x2gobroker::core
