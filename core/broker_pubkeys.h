// SPDX-License-Identifier: AGPL-3.0-or-later
// The body of /pubkeys/ (PROTOCOL.md §12.1): the broker account's SSH public keys as
// authorized_keys lines with the agent's forced command, ready for x2gobroker-pubkeyauthorizer
// on the X2Go Servers. Read once per configuration load, not per request.
#pragma once

#include <string>

namespace x2gobroker::core {

// Reads <home of daemon_user>/.ssh/id_rsa.pub (then id_dsa.pub, which the reference
// authorizer also accepts) and returns one line per key, "" if there is none.
std::string LoadBrokerPubkeys(const std::string& daemon_user, const std::string& agent_command);

}  // namespace x2gobroker::core
