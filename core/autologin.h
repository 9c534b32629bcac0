// SPDX-License-Identifier: AGPL-3.0-or-later
// Session autologin (PROTOCOL.md §10.4): a temporary key that lets the client log in to the
// selected X2Go Server (and its SSH proxy) without a second password. Without a client key an
// RSA key pair is generated and its private half returned; a client key is parsed, stripped of
// its options and installed with the broker's fixed restricting options (§9.7). Every key line
// is recorded in the persistent deletion queue before it is installed, so it is removed after
// `autologin-key-lifetime` even if this process dies; with `autologin-key-expiry-time` sshd
// itself stops accepting it shortly after.
#pragma once

#include <optional>
#include <string>

#include "core/agent_services.h"
#include "core/agent_settings.h"
#include "core/broker_config.h"
#include "core/farm_agent.h"
#include "core/session_profile.h"

namespace x2gobroker::core {

struct AutologinContext {
  const FarmAgent& agent;
  const SessionProfile& profile;
  const ProfileAgentSettings& settings;
  const AgentServices& services;
  const BrokerConfig& config;
};

struct AutologinKey {
  std::optional<std::string> private_key;    // PEM, when the broker generated the key
  std::optional<std::string> pubkey_status;  // "ACCEPTED", when the client's key was installed
};

// Installs a key for `login` on `server` (and the profile's SSH proxy). On any failure nothing
// is returned (the client then asks for a password) and the reason is logged; the key line
// is never logged.
AutologinKey DeployAutologinKey(const AutologinContext& context, const std::string& login, const std::string& pubkey,
                                const std::string& client_ip, const AgentTarget& server);

}  // namespace x2gobroker::core
