// SPDX-License-Identifier: AGPL-3.0-or-later
// The body of /pubkeys/ (PROTOCOL.md §12.1): the broker account's SSH public keys as
// authorized_keys lines with the agent's forced command, ready for x2gobroker-pubkeyauthorizer
// on the X2Go Servers. Read once per configuration load, not per request.
#pragma once

#include <string>

namespace x2gobroker::core {

// Reads <key_directory>/id_rsa.pub (then id_dsa.pub), which the reference's authorizer
// accepts, and returns one line per key. Only when neither exists it serves id_ed25519.pub and
// id_ecdsa.pub (our x2gobroker-keygen's default; our authorizer accepts them, the reference's
// would refuse a listing that mixes them with RSA). "" if there is none. An empty
// `key_directory` means <home of daemon_user>/.ssh (the reference's place).
std::string LoadBrokerPubkeys(const std::string& daemon_user, const std::string& agent_command,
                              const std::string& key_directory = "");

}  // namespace x2gobroker::core
