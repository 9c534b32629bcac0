// SPDX-License-Identifier: AGPL-3.0-or-later
// The wire protocol between the broker workers and x2gobroker-authservice, the privileged PAM
// helper (OpenSSH's monitor, shared/STYLE.md; PROTOCOL.md §11.1 "our broker").
//
//   frame   = u32 length (big-endian) | u8 type | payload      length = 1 + payload size
//   whole frame (header included) <= kMaxFrameBytes; request types are even, answers odd.
//
//   REQ_AUTHENTICATE (0x02)  payload = field(user) field(password) field(client address)
//                            field    = u16 length (big-endian) | bytes
//   ANS_OK (0x03), ANS_FAIL (0x05), ANS_UNAVAILABLE (0x07)   empty payload
//
// One REQ_AUTHENTICATE per connection, then one answer, then the server closes. The encoder
// and the decoders are pure functions; the decoders take untrusted bytes and check everything
// (exact lengths, known type, direction, field limits). Anything malformed is an
// InvalidArgument; the server then closes the connection without a reply. std only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/secret_string.h"
#include "core/status.h"

namespace x2gobroker::core::auth {

inline constexpr size_t kFrameHeaderBytes = 4;
// Small enough for one read on a local socket, large enough for any real credentials.
inline constexpr size_t kMaxFrameBytes = 4096;
inline constexpr size_t kMaxFrameBodyBytes = kMaxFrameBytes - kFrameHeaderBytes;
// Linux user names are at most 32 bytes; LDAP/AD principals (user@REALM) can be longer.
inline constexpr size_t kMaxUserBytes = 256;
// Twice PAM_MAX_RESP_SIZE (512): PAM, not the framing, decides what is too long.
inline constexpr size_t kMaxPasswordBytes = 1024;
// An IPv6 address with a zone id is at most ~64 characters.
inline constexpr size_t kMaxClientAddressBytes = 128;

enum class FrameType : uint8_t {
  kReqAuthenticate = 0x02,
  kAnsOk = 0x03,
  kAnsFail = 0x05,
  kAnsUnavailable = 0x07,
};

enum class Answer {
  kOk,           // password right, account usable
  kFail,         // wrong password, unknown user, locked or expired account: all the same
  kUnavailable,  // PAM itself is broken (cannot start, aborts), or the service is throttling
};

struct AuthenticateRequest {
  std::string user;
  SecretString password;
  std::string client_address;
};

// Field rules, shared by the client (before sending) and the decoder.
// User: 1..kMaxUserBytes bytes, no control character (NUL, CR, LF, ... DEL).
Status CheckUserName(std::string_view user);
// Password: 1..kMaxPasswordBytes bytes; any byte value may appear.
Status CheckPassword(std::string_view password);
// Client address: 0..kMaxClientAddressBytes bytes of printable ASCII without space.
Status CheckClientAddress(std::string_view client_address);

// Reads the 4-byte header of a frame. On success returns the number of bytes that follow it
// (type + payload, 1..kMaxFrameBodyBytes). REQUIRES: header.size() == kFrameHeaderBytes.
Result<size_t> DecodeFrameHeader(std::string_view header);

// A complete REQ_AUTHENTICATE frame. InvalidArgument if a field breaks its rule. The result
// holds the password, hence a SecretString.
Result<SecretString> EncodeAuthenticateRequest(std::string_view user, std::string_view password,
                                              std::string_view client_address);
// Decodes exactly one whole frame (header included, nothing after it) that must be a
// REQ_AUTHENTICATE with valid fields. Otherwise InvalidArgument; nothing is returned.
Result<AuthenticateRequest> DecodeAuthenticateRequest(std::string_view frame);

// A complete answer frame.
std::string EncodeAnswer(Answer answer);
// Decodes exactly one whole answer frame; a request type, a payload or an unknown type is
// InvalidArgument.
Result<Answer> DecodeAnswer(std::string_view frame);

std::string_view AnswerName(Answer answer);

}  // namespace x2gobroker::core::auth
