// SPDX-License-Identifier: AGPL-3.0-or-later
// Running `checkload` (PROTOCOL.md §9.6) on the targets of a PollPlan, a bounded number at a
// time. The reference spreads its queries over the interval, one after the other; here they
// run in parallel so that a cycle takes about as long as its slowest server (its time-outs).
#pragma once

#include <atomic>
#include <cstddef>
#include <optional>
#include <vector>

#include "core/agent_client.h"
#include "core/agent_replies.h"

namespace x2gobroker::loadchecker {

// Enough to hide a few hung servers' time-outs, few enough not to look like an attack to a
// farm's sshd (MaxStartups) or to load the broker host.
inline constexpr size_t kMaxParallelQueries = 8;

// One host's load factor: the agent's `checkload` data turned into a factor, LOAD-DATA-BOGUS
// when fields are missing, HOST-UNREACHABLE when the agent call fails (logged).
core::LoadFactor CheckLoad(const core::AgentClient& client, const core::AgentTarget& target);

// CheckLoad on every target with at most `parallel` (>= 1) calls at a time. results[i] belongs
// to targets[i]; it stays nullopt if `stop` became true before the target was asked. A null
// client (no usable broker key) makes every host HOST-UNREACHABLE without a call.
std::vector<std::optional<core::LoadFactor>> PollTargets(const std::vector<core::AgentTarget>& targets,
                                                         const core::AgentClient* client, size_t parallel,
                                                         const std::atomic<bool>& stop);

}  // namespace x2gobroker::loadchecker
