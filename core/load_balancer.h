// SPDX-License-Identifier: AGPL-3.0-or-later
// The load balancer of PROTOCOL.md §10.3 steps 1-5: picks the least busy host of a multi-host
// profile from the agent's busy map and, optionally, the load checker's factors. Pure,
// thread-safe; the agent and load checker calls happen elsewhere.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/agent_replies.h"

namespace x2gobroker::core {

// `profile_hosts`: the profile's host names as written (alias syntax already stripped).
// `busy`: server → session count (getservers, or CountSessionsPerServer) or percentage
//   (findbusyservers), keyed by the names the session DB recorded.
// `load_factors`: host → LoadFactor from the load checker, or null when it is not consulted.
//
// 1. If the profile hosts have exactly one subdomain and the busy map's names at most one,
//    both sides are compared by short name (IP literals stay as they are, §10.6). Busy entries
//    that collapse onto one short name are added up.
// 2. Profile hosts absent from the map count 0; other map entries are ignored. A host listed
//    twice (or twice under one short name) is considered once, first occurrence.
// 3. With load factors: a host's factor is looked up under its name as written, else under its
//    short name (the reference only tried the normalised name and so silently ignored FQDN-keyed
//    factors). Hosts whose factor is an error word are dropped; the others get
//    weight = (sessions + 1) / load_factor (a factor <= 0, which the reference would divide by,
//    gives +inf: usable, but last). If any remaining host has no factor entry at all, factors
//    are ignored and the plain counts of the remaining hosts decide.
// 4. Lowest value wins; ties go to the lower (compared) name, then the lower host as written.
// 5. Returns that host as written in the profile (which is the short name with the subdomain
//    re-appended whenever step 1 applied to a fully qualified host), so alias lookups work.
// nullopt if no host remains: empty profile, or every host's factor is an error word.
std::optional<std::string> ChooseLeastBusyHost(const std::vector<std::string>& profile_hosts,
                                               const std::map<std::string, int64_t>& busy,
                                               const std::map<std::string, LoadFactor>* load_factors);

}  // namespace x2gobroker::core
