// SPDX-License-Identifier: AGPL-3.0-or-later
// Host-key checking against OpenSSH known_hosts files (PROTOCOL.md §9.1; §13 row 14: the key is
// checked on every connection and pinned, never silently accepted). Supports plain and
// `[host]:port` names, comma lists, `*`/`?` wildcards, `!` negation, hashed names (`|1|`),
// `@revoked` (a revoked key is refused) and skips `@cert-authority` lines. Key blobs are the SSH
// wire encoding that libssh2_session_hostkey() returns. Thread-safe (no state); the pin is
// serialised between processes by flock on the file.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace x2gobroker::agent {

enum class HostKeyCheck {
  kMatch,     // a line for one of the names holds exactly this key
  kMismatch,  // lines for the names hold another key of the same type (or this key is @revoked)
  kUnknown,   // nothing about this key type for these names
};

// The name a known_hosts line uses for host:port: `host` for port 22, else `[host]:port`.
std::string KnownHostsName(const std::string& host, int port);

// The key type inside an SSH public-key blob ("ssh-ed25519", ...); empty if malformed.
std::string KeyBlobType(std::string_view blob);

// Checks `blob` for any of `names` (each as KnownHostsName gives it) in known_hosts text.
// A match anywhere wins over a stale line elsewhere, except a @revoked line for this key.
HostKeyCheck CheckKnownHostsText(std::string_view text, const std::vector<std::string>& names, std::string_view blob);

// The same over several files; missing or unreadable files count as empty.
HostKeyCheck CheckKnownHostsFiles(const std::vector<std::string>& files, const std::vector<std::string>& names,
                                  std::string_view blob);

// Key types known for any of `names` in `files` (in file order, without duplicates), used to
// ask the server for a host key we can check.
std::vector<std::string> KnownKeyTypes(const std::vector<std::string>& files, const std::vector<std::string>& names);

// The keys (wire blobs) known for any of `names` in `files`, @revoked lines excluded, in file
// order without duplicates. Missing or unreadable files count as empty. For operators' tools
// that show what is pinned (x2gobroker-testagent -A).
std::vector<std::string> KnownHostKeys(const std::vector<std::string>& files, const std::vector<std::string>& names);

// `SHA256:<unpadded base64 of SHA-256(blob)>`, as `ssh-keygen -l` prints it.
std::string HostKeyFingerprint(std::string_view blob);

// AutoAddPolicy's pin: under an exclusive flock on `file` (created 0644 if missing), checks the
// file again for `names` and appends `<name> <type> <base64>` if the key is still unknown.
// *result says what the file held before (kUnknown = appended). An error Status if the file
// cannot be opened, locked or written.
core::Status PinHostKey(const std::string& file, const std::string& name, const std::vector<std::string>& names,
                        std::string_view blob, HostKeyCheck* result);

}  // namespace x2gobroker::agent
