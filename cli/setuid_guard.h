// SPDX-License-Identifier: AGPL-3.0-or-later
// In production `x2gobroker` runs through the setuid wrapper x2gobroker-ssh (PROTOCOL.md §8.3):
// real uid = the SSH user, effective uid = x2gobroker. The caller then controls argv and the
// environment, so nothing from there may choose which configuration, agent command or sockets
// the broker's account uses.
#pragma once

namespace x2gobroker::cli {

// True when the real and effective user (or group) ids differ.
bool RunningSetuid();

// Removes every X2GOBROKER_* variable from the process environment (they would override
// defaults.conf, e.g. X2GOBROKER_AGENT_CMD). Call before config::EnvironmentFromProcess and
// before any thread starts. Returns how many were removed.
int DropCallerBrokerEnvironment();

}  // namespace x2gobroker::cli
