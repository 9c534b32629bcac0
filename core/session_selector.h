// SPDX-License-Identifier: AGPL-3.0-or-later
// SessionSelector chooses the X2Go Server for `selectsession` (PROTOCOL.md §10.2). With an agent
// (query mode SSH or LOCAL) it resumes the user's suspended session, takes over a running one
// (suspend, then wait until the agent reports it suspended), otherwise balances the load over
// the farm (§10.3), and deploys a temporary key for session autologin (§10.4). Without an agent
// it picks the single host or a random one. Either way aliases and sshport overrides apply and
// the chosen server can be probed, with fail-over to the remaining hosts. Thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "core/agent_services.h"
#include "core/broker_config.h"
#include "core/port_prober.h"
#include "core/session_profile.h"

namespace x2gobroker::core {

struct SelectedSession {
  std::string server;
  int64_t port = 22;
  std::optional<std::string> private_key;   // PEM, when a key was deployed (autologin)
  std::optional<std::string> pubkey_status; // "ACCEPTED" when the client's key was deployed
  std::optional<std::string> session_info;  // x2golistsessions line when resuming
};

inline constexpr const char* kNoServerAvailable = "no-server-available";
inline constexpr const char* kNoX2GoServerAvailable = "no-X2Go-Server-available";

// Whether the TCP probe applies to `profile` (§2.5: profile broker-portscan-x2goservers, else
// the global default).
bool PortscanEnabled(const SessionProfile& profile, const BrokerConfig& config);
// Whether session autologin applies to `profile` (§2.5).
bool SessionAutologinEnabled(const SessionProfile& profile, const BrokerConfig& config);

// Who asks, as far as the agent is concerned.
struct SelectRequest {
  std::string backend;
  std::string login;      // the user whose sessions and keys the agent acts on (§10.5); "" = none
  std::string pubkey;     // the client's public key for autologin, "" = generate one
  std::string client_ip;  // for the key comment and the optional from= restriction
};

class SessionSelector {
 public:
  SessionSelector(const BrokerConfig& config, const PortProber* prober, const AgentServices* agents = nullptr)
      : config_(config), prober_(prober), agents_(agents) {}
  // `profile` is null for an unknown or not permitted profile.
  SelectedSession Select(const SessionProfile* profile, const SelectRequest& request = {}) const;

 private:
  const BrokerConfig& config_;
  const PortProber* prober_;
  const AgentServices* agents_;
};

}  // namespace x2gobroker::core
