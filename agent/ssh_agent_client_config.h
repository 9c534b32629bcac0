// SPDX-License-Identifier: AGPL-3.0-or-later
// The one translation of x2gobroker.conf's agent settings (PROTOCOL.md §9.1, BrokerConfig's
// agent-* keys and X2GOBROKER_AGENT_CMD / X2GOBROKER_AGENT_USER) into an SshAgentClient, shared
// by x2gobroker-fcgi and x2gobroker-loadchecker so that both reach the farm the same way.
#pragma once

#include <memory>

#include "agent/ssh_agent_client.h"
#include "core/broker_config.h"
#include "core/status.h"

namespace x2gobroker::agent {

// The options for `config`: agent command and login from config.env; keys from
// agent-ssh-directory, else ~/.ssh of the process's user (passwd entry of the effective uid,
// $HOME if there is none); known_hosts from agent-known-hosts, else <key directory>/known_hosts;
// the time-outs converted from seconds (clamped to what an int of milliseconds holds).
SshAgentClientOptions SshAgentClientOptionsFor(const core::BrokerConfig& config);

// SshAgentClient::Create(SshAgentClientOptionsFor(config)): Unavailable when there is no usable
// key (SSH mode then acts like NONE), InvalidArgument for unusable options.
core::Result<std::shared_ptr<SshAgentClient>> SshAgentClientFor(const core::BrokerConfig& config);

}  // namespace x2gobroker::agent
