// SPDX-License-Identifier: AGPL-3.0-or-later
// The wire protocol between the broker (core/load_checker_client) and x2gobroker-loadchecker
// (PROTOCOL.md §11.2 "our broker": a framed protocol instead of the reference's CR/LF text).
//
//   frame  = u32 length (big-endian) | u8 type | payload      length = 1 + payload size
//   whole frame (header included) <= kMaxFrameBytes; request types are even, answers odd.
//   str    = u16 length (big-endian) | bytes
//
//   REQ_PROFILE_LOAD     (0x02)  payload = str(backend) str(profile id)
//   ANS_LOADS            (0x03)  payload = u16 count | count x entry, hosts strictly ascending
//                                entry   = str(host) | u8 kind | (kind 0 only: i64 big-endian)
//                                kind    = 0 value, 1 LOAD-UNAVAILABLE, 2 HOST-UNREACHABLE,
//                                          3 LOAD-DATA-BOGUS
//   ANS_UNKNOWN_PROFILE  (0x05)  empty payload: the daemon polls no such (backend, profile)
//
// One request per connection, one answer, then the daemon closes. Anything malformed closes
// the connection without an answer. Our own frame codec rather than core/auth/pam_protocol's:
// that one caps frames at 4 KiB, too small for a large farm's answer, and carries secrets.
// Pure functions, std only; the decoders take untrusted bytes and check everything (exact
// lengths, known type and direction, field rules, counts, order).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "core/agent_replies.h"
#include "core/status.h"

namespace x2gobroker::core::load_checker {

inline constexpr size_t kFrameHeaderBytes = 4;
// 64 KiB: an answer with kMaxHosts hosts at kMaxHostBytes fits (static_assert in the .cc).
inline constexpr size_t kMaxFrameBytes = 64 * 1024;
// Backend names are registry names (^[a-z_]+$); room for anything sane.
inline constexpr size_t kMaxBackendBytes = 64;
// Profile ids are section names of an INI file or YAML keys: no real one is near this.
inline constexpr size_t kMaxProfileIdBytes = 1024;
// A DNS name is at most 253 characters; profile host names are names or alias names.
inline constexpr size_t kMaxHostBytes = 253;
// Far more servers than any profile has (the reference's client truncates its answer at 1024
// bytes, i.e. about 40 hosts).
inline constexpr size_t kMaxHosts = 200;

enum class FrameType : uint8_t {
  kReqProfileLoad = 0x02,
  kAnsLoads = 0x03,
  kAnsUnknownProfile = 0x05,
};

struct ProfileLoadRequest {
  std::string backend;
  std::string profile_id;
};

// What the daemon answered. known_profile false = ANS_UNKNOWN_PROFILE (loads empty).
struct LoadAnswer {
  bool known_profile = false;
  std::map<std::string, LoadFactor> loads;  // host → load factor or error word
};

// Field rule for backend, profile id and host: 1..max bytes, no control character (< 0x20,
// DEL); other bytes, UTF-8 included, are fine. `what` names the field in the message.
Status CheckId(std::string_view id, size_t max_bytes, const char* what);

// Reads the 4-byte header of a frame. On success returns the number of bytes that follow it
// (type + payload, 1..kMaxFrameBytes - kFrameHeaderBytes). InvalidArgument otherwise.
// REQUIRES: header.size() == kFrameHeaderBytes.
Result<size_t> DecodeFrameHeader(std::string_view header);

// A complete REQ_PROFILE_LOAD frame; InvalidArgument if a field breaks its rule.
Result<std::string> EncodeProfileLoadRequest(std::string_view backend, std::string_view profile_id);
// Decodes exactly one whole frame (header included, nothing after it) that must be a valid
// REQ_PROFILE_LOAD. Otherwise InvalidArgument.
Result<ProfileLoadRequest> DecodeProfileLoadRequest(std::string_view frame);

// A complete ANS_LOADS frame. InvalidArgument if a host breaks the field rule or there are more
// than kMaxHosts hosts. A factor with neither a value nor one of the three error words goes
// out as LOAD-DATA-BOGUS (as FormatLoadFactor prints it).
Result<std::string> EncodeLoadsAnswer(const std::map<std::string, LoadFactor>& loads);
// The ANS_UNKNOWN_PROFILE frame.
std::string EncodeUnknownProfileAnswer();
// Decodes exactly one whole answer frame. A request type, an unknown type or kind, a bad or
// repeated or unordered host, a count above kMaxHosts, or a length mismatch: InvalidArgument.
Result<LoadAnswer> DecodeAnswer(std::string_view frame);

}  // namespace x2gobroker::core::load_checker
