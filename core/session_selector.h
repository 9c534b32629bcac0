// SPDX-License-Identifier: AGPL-3.0-or-later
// SessionSelector chooses the X2Go Server for `selectsession` (PROTOCOL.md §10.2). Without an
// agent (query mode NONE) that is: a single host as configured, otherwise a random host of the
// profile, aliases and sshport overrides applied, optionally TCP-probed with fail-over to the
// remaining hosts. Thread-safe.
#pragma once

#include <optional>
#include <string>

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

class SessionSelector {
 public:
  SessionSelector(const BrokerConfig& config, const PortProber* prober) : config_(config), prober_(prober) {}
  // `profile` is null for an unknown or not permitted profile.
  SelectedSession Select(const SessionProfile* profile) const;

 private:
  const BrokerConfig& config_;
  const PortProber* prober_;
};

}  // namespace x2gobroker::core
