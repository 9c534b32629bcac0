// SPDX-License-Identifier: AGPL-3.0-or-later
// Command line of x2gobroker-keygen (PROTOCOL.md §12.3). Pure, thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"

namespace x2gobroker::tools {

enum class BrokerKeyType { kEd25519, kRsa };

struct KeygenOptions {
  BrokerKeyType key_type = BrokerKeyType::kEd25519;
  bool force = false;
  std::string ssh_dir;          // "" = ~<user>/.ssh (root only)
  std::string user = "x2gobroker";
  bool debug = false;
  bool help = false;
};

// -t/--key-type/---key-type RSA|ED25519 (any case), -f/--force, --ssh-dir DIR, --user NAME,
// -d/--debug, -h/--help. InvalidArgument "<option>: <problem>" for anything else (DSA is
// refused: OpenSSH no longer accepts DSA keys); *out is only valid on OK.
core::Status ParseKeygenOptions(const std::vector<std::string>& args, KeygenOptions* out);

// --help text.
std::string KeygenUsage();

}  // namespace x2gobroker::tools
