// SPDX-License-Identifier: AGPL-3.0-or-later
// The broker's SSH key pair on disk (PROTOCOL.md §9.1, §12.3): file names per type and their
// creation with /usr/bin/ssh-keygen (core::RunSubprocess: argv, no shell), atomically by rename from a private
// temporary directory beside them, so a reader never sees half a key.
#pragma once

#include <string>

#include "core/status.h"
#include "tools/keygen_options.h"
#include "tools/system_account.h"

namespace x2gobroker::tools {

struct BrokerKeyPaths {
  std::string private_key;  // <dir>/id_ed25519 or <dir>/id_rsa
  std::string public_key;   // private_key + ".pub"
};

BrokerKeyPaths BrokerKeyPathsFor(const std::string& ssh_dir, BrokerKeyType type);

// True if either file of `paths` exists (as anything, also a dangling symlink).
bool BrokerKeyExists(const BrokerKeyPaths& paths);

// Generates the pair with `ssh_keygen` (ed25519: OpenSSH format; RSA: 2048 bits, traditional
// PEM "BEGIN RSA PRIVATE KEY"), no passphrase, public file `<type> <base64>\n` without comment.
// Private 0600, public 0644, both owned by `owner` when running as root; replaces existing
// files. REQUIRES: `paths` lie in an existing directory writable by this process.
// On failure nothing is left behind but the previous files; Internal with the reason.
core::Status CreateBrokerKey(const BrokerKeyPaths& paths, BrokerKeyType type, const SystemAccount& owner,
                             const std::string& ssh_keygen = "/usr/bin/ssh-keygen");

}  // namespace x2gobroker::tools
