// SPDX-License-Identifier: AGPL-3.0-or-later
// Temporary login keys for session autologin (PROTOCOL.md §9.5, §9.7): parsing the public key
// a client sends (untrusted) and building the authorized_keys line the broker installs through
// the agent's addauthkey/delauthkey. The line later travels inside single quotes to a shell and
// into a sed expression `s!^LINE$!!` on the X2Go Server, so every character of it is chosen
// here, never copied from the client. Pure, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace x2gobroker::core {

struct SshPublicKey {
  std::string type;         // ssh-rsa, ssh-ed25519, ecdsa-sha2-nistp256/384/521
  std::string blob_base64;  // canonical base64 of the validated wire-format blob
  std::string comment;      // only [A-Za-z0-9@._-], at most kMaxKeyCommentLength; may be empty
};

// Longest accepted client key text; an RSA-16384 key line is about 2.8 KiB, so 16 KiB is ample.
inline constexpr size_t kMaxClientKeyBytes = 16 * 1024;
inline constexpr size_t kMaxKeyCommentLength = 64;

// Parses an authorized_keys-style line: `[options ]type base64[ comment]`, fields separated by
// one or more spaces, leading/trailing spaces ignored.
// * options (any first word that is not a key type; may contain double-quoted parts with
//   spaces and commas) are dropped: the broker always sets its own.
// * the blob must decode (strict base64) to the wire format of that type: string type; for
//   ed25519 string of 32 bytes; for ecdsa string curve (nistp256/384/521 matching the type) and
//   an uncompressed point (0x04 || X || Y); for rsa mpint e (odd, >= 3, <= 64 bits) and mpint n
//   (odd, 1024..16384 bits); minimal positive mpints, nothing after the last field.
// * the rest of the line is the comment, kept filtered (see FilterKeyComment).
// InvalidArgument (and nothing else) for: more than kMaxClientKeyBytes, any control character
// (TAB, CR, LF, NUL, DEL...), any of ' ; ! \ ` $ anywhere (these would change the agent's shell
// or sed expression), a non-ASCII byte outside the comment, an unbalanced quote, an unknown
// type, a bad blob, or garbage glued to the blob.
Result<SshPublicKey> ParseClientPublicKey(std::string_view text);

// Restrictions the broker adds to a temporary key.
struct AuthorizedKeyOptions {
  std::optional<std::string> from_address;  // from="<ip>": the client's IP as sshd will see it
  std::optional<int64_t> expires_at_unix;   // expiry-time="YYYYMMDDHHMMSSZ" (OpenSSH >= 8.7)
};

inline constexpr const char* kAuthorizedKeyFixedOptions =
    "no-X11-forwarding,no-pty,no-user-rc,no-agent-forwarding,no-port-forwarding";

// Builds `<fixed>[,from="<ip>"][,expiry-time="YYYYMMDDHHMMSSZ"] <type> <blob>[ <comment>]`.
// The expiry is printed in UTC with the trailing Z (sshd(8): YYYYMMDDHHMM[SS][Z]). The address
// is printed in canonical form (IPv4-mapped IPv6 as IPv4). The comment is filtered again.
// Fails closed: returns an EMPTY string (install nothing) when the key's type or blob does not
// pass ParseClientPublicKey's checks, from_address is not an IP literal, or expires_at_unix is
// outside 1970..9999. Deliberately not "leave the restriction out": a key that was meant to be
// restricted must not be installed unrestricted. (An empty line is harmless even if a caller
// sends it anyway: addauthkey appends an empty line, sshd ignores it, delauthkey drops it.)
std::string AuthorizedKeyLine(const SshPublicKey& key, const AuthorizedKeyOptions& options);

// The comment the reference gives generated keys: "<user>@<client-ip>", filtered (so an IPv6
// address loses its colons: "bob@fd001").
std::string KeyComment(std::string_view user, std::string_view client_ip);

// Keeps only [A-Za-z0-9@._-] characters of `text`, then the first kMaxKeyCommentLength.
std::string FilterKeyComment(std::string_view text);

// "YYYYMMDDHHMMSSZ" for a Unix time in 1970..9999 UTC; nullopt otherwise.
std::optional<std::string> FormatExpiryTime(int64_t unix_seconds);

}  // namespace x2gobroker::core
