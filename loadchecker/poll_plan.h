// SPDX-License-Identifier: AGPL-3.0-or-later
// PollPlan: what one polling cycle asks (PROTOCOL.md §11.2): every host of every profile that
// is in SSH mode and uses the load checker (§10.3, core::AgentSettingsFor), with identical agent
// targets asked once however many profiles name them. Pure functions; thread-compatible.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/agent_client.h"
#include "core/broker_config.h"
#include "core/session_profile.h"
#include "loadchecker/load_table.h"

namespace x2gobroker::loadchecker {

struct PlannedProfile {
  std::string backend;
  std::string profile_id;
  std::map<std::string, size_t> hosts;  // host name in the profile → index into PollPlan::targets
};

struct PollPlan {
  std::vector<core::AgentTarget> targets;  // distinct (hostname, address, port, host key policy)
  std::vector<PlannedProfile> profiles;
};

// backend name → its profiles (enabled backends whose profile ids are stable).
using ProfileSource = std::map<std::string, std::shared_ptr<const core::ProfileSet>>;

// Builds the plan. Profiles whose id, backend or host names cannot go over the socket
// (core/load_checker_protocol.h field rules, more than kMaxHosts hosts) are left out and
// described in *skipped (may be null).
PollPlan BuildPollPlan(const core::BrokerConfig& config, const ProfileSource& source,
                       std::vector<std::string>* skipped);

// The table for `plan`: per planned (profile, host) the cycle's result for its target if there
// is one, else the value `previous` holds for the same (backend, profile, host), else
// LOAD-UNAVAILABLE. Profiles and hosts not in the plan are dropped.
// REQUIRES: results.size() == plan.targets.size().
LoadMap TableFor(const PollPlan& plan, const std::vector<std::optional<core::LoadFactor>>& results,
                 const LoadMap* previous);

}  // namespace x2gobroker::loadchecker
