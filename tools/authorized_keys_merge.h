// SPDX-License-Identifier: AGPL-3.0-or-later
// What x2gobroker-pubkeyauthorizer installs (PROTOCOL.md §9.2, §12.1, §12.3): the broker key
// lines of /pubkeys/ (untrusted: they come over the network and will grant root on this
// server), validated strictly, and merged into the x2gobroker account's authorized_keys
// idempotently. Pure, thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/ssh_public_key.h"
#include "core/status.h"

namespace x2gobroker::tools {

// The options every broker key line starts with, exactly as /pubkeys/ serves them.
inline constexpr std::string_view kBrokerKeyOptions =
    "command=\"/usr/lib/x2go/x2gobroker-agent\",no-port-forwarding,no-X11-forwarding,no-agent-forwarding,no-pty";

// Largest /pubkeys/ body accepted: a few key lines of at most ~3 KiB each.
inline constexpr size_t kMaxPubkeysBytes = 64 * 1024;

struct BrokerKeyLine {
  core::SshPublicKey key;
  std::string line;  // canonical: kBrokerKeyOptions, type, base64[, filtered comment]
};

// Parses a /pubkeys/ body: lines split at LF (a CR before it is dropped), empty lines and
// lines starting with `#` (after leading blanks) skipped. Every other line must be
// `kBrokerKeyOptions <type> <base64>[ <comment>]` with type ssh-rsa, ssh-ed25519 or
// ecdsa-sha2-nistp256/384/521 and a key core::ParseClientPublicKey accepts. A key repeated
// in the body is returned once. InvalidArgument("line N: <problem>") for the first bad line
// (the caller then installs nothing), or when the body is larger than kMaxPubkeysBytes or
// holds no key at all.
core::Result<std::vector<BrokerKeyLine>> ParseBrokerKeyLines(std::string_view body);

struct AuthorizedKeysMerge {
  std::string text;  // the new file content
  int added = 0;     // key lines appended
  int removed = 0;   // older lines of the same keys without kBrokerKeyOptions, dropped
  int present = 0;   // keys already installed with kBrokerKeyOptions (left as they are)
  bool changed() const { return added > 0 || removed > 0 || text_changed; }
  bool text_changed = false;  // text != existing (also: a final newline was added)
};

// Merges `keys` into an authorized_keys file's content `existing`:
// * a line holding one of the keys (its type and base64 as two consecutive fields) and
//   starting with kBrokerKeyOptions followed by a space counts as installed and is kept;
// * any other line holding one of the keys is dropped (an older, less restricted entry);
// * every other line is kept verbatim, in order;
// * keys not installed are appended as their canonical line;
// * a non-empty result ends with a newline.
// Merging the result again with the same keys returns it unchanged.
AuthorizedKeysMerge MergeAuthorizedKeys(std::string_view existing, const std::vector<BrokerKeyLine>& keys);

}  // namespace x2gobroker::tools
