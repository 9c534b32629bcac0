// SPDX-License-Identifier: AGPL-3.0-or-later
// FarmAgent: the broker agent chosen for one profile in one request (PROTOCOL.md §10.1). In
// SSH mode that is the first farm member, in random order, whose agent answers the first task
// the request needs anyway (`listsessions` for the user): the reference sends a separate `ping`
// first, which costs a second agent round trip for nothing. Candidates are tried through a
// HedgedRace, so a hung server delays the answer by the hedge delay, not by a time-out.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/agent_services.h"
#include "core/agent_settings.h"
#include "core/session_profile.h"

namespace x2gobroker::core {

// A hung farm member delays the choice of the agent by this much before the next one is asked;
// a healthy agent answers `listsessions` well within it (about 0.1 s over a kept connection).
inline constexpr std::chrono::milliseconds kAgentHedgeDelay{1000};

class FarmAgent {
 public:
  enum class State {
    kNone,   // no agent: mode NONE, SHADOW profile, or no client for the mode
    kDown,   // agent mode, but no farm member answered ("all servers down")
    kReady,
  };

  // Chooses the agent and runs `first_task` for `user` on it; its reply is first_reply().
  // `prefetch_task`, if set, runs on each candidate concurrently with `first_task` (a second
  // channel), for a reply the request will probably need: load balancing needs `getservers`
  // after `listsessions`, and asking both at once saves a whole agent round trip.
  static FarmAgent Choose(const SessionProfile& profile, const ProfileAgentSettings& settings,
                          const AgentServices& services, const std::string& backend, AgentTask first_task,
                          const std::string& user, std::chrono::milliseconds hedge_delay,
                          std::optional<AgentTask> prefetch_task = std::nullopt);
  static FarmAgent None() { return FarmAgent(); }

  State state() const { return state_; }
  // REQUIRES: state() == kReady.
  const AgentReply& first_reply() const { return first_reply_; }
  // The prefetched reply, if one was asked for and it succeeded.
  const std::optional<AgentReply>& prefetched_reply() const { return prefetched_reply_; }
  const AgentTarget& target() const { return target_; }
  AgentQueryMode mode() const { return mode_; }
  // Runs a further task on the chosen agent. REQUIRES: state() == kReady.
  Result<AgentReply> Run(AgentTask task, const std::string& user, const std::vector<std::string>& args) const;
  // Runs `task` on another server of the farm with the same client (key installation on the
  // selected server). LOCAL mode runs it locally.
  Result<AgentReply> RunOn(const AgentTarget& target, AgentTask task, const std::string& user,
                           const std::vector<std::string>& args) const;
  // Load factors from the load checker, when it was consulted and answered.
  const std::optional<std::map<std::string, LoadFactor>>& load_factors() const { return load_factors_; }

 private:
  State state_ = State::kNone;
  AgentQueryMode mode_ = AgentQueryMode::kNone;
  AgentClientPtr client_;
  AgentTarget target_;
  AgentReply first_reply_;
  std::optional<AgentReply> prefetched_reply_;
  std::optional<std::map<std::string, LoadFactor>> load_factors_;
};

// Where the agent of `host` (a profile host name) is reached: alias address and port, else the
// name and the profile's sshport (§9.1).
AgentTarget AgentTargetFor(const SessionProfile& profile, const std::string& host, const std::string& host_key_policy);

}  // namespace x2gobroker::core
