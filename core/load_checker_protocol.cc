// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/load_checker_protocol.h"

namespace x2gobroker::core::load_checker {
namespace {

constexpr size_t kStrHeaderBytes = 2;
constexpr size_t kCountBytes = 2;
constexpr size_t kValueBytes = 8;

enum Kind : uint8_t { kValue = 0, kUnavailable = 1, kUnreachable = 2, kBogus = 3 };

static_assert(kFrameHeaderBytes + 1 + kCountBytes + kMaxHosts * (kStrHeaderBytes + kMaxHostBytes + 1 + kValueBytes) <=
                  kMaxFrameBytes,
              "an answer with every host at its limit must fit in one frame");
static_assert(kFrameHeaderBytes + 1 + 2 * kStrHeaderBytes + kMaxBackendBytes + kMaxProfileIdBytes <= kMaxFrameBytes,
              "a request with every field at its limit must fit in one frame");
static_assert(kMaxHosts <= 0xffff && kMaxProfileIdBytes <= 0xffff, "counts and sizes are u16 on the wire");

void AppendU16(std::string& out, size_t value) {
  out.push_back(static_cast<char>((value >> 8) & 0xff));
  out.push_back(static_cast<char>(value & 0xff));
}

void AppendU32(std::string& out, uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((value >> shift) & 0xff));
}

void AppendStr(std::string& out, std::string_view s) {
  AppendU16(out, s.size());
  out.append(s);
}

// Starts a frame with a placeholder length, patched by Finish().
std::string Begin(FrameType type) {
  std::string frame(kFrameHeaderBytes, '\0');
  frame.push_back(static_cast<char>(type));
  return frame;
}

void Finish(std::string& frame) {
  const auto length = static_cast<uint32_t>(frame.size() - kFrameHeaderBytes);
  for (size_t i = 0; i < kFrameHeaderBytes; ++i) {
    frame[i] = static_cast<char>((length >> (8 * (kFrameHeaderBytes - 1 - i))) & 0xff);
  }
}

// A cursor over untrusted bytes: every Take checks the remaining size first.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : rest_(bytes) {}
  bool empty() const { return rest_.empty(); }
  bool TakeU8(uint8_t* out) {
    if (rest_.empty()) return false;
    *out = static_cast<uint8_t>(rest_[0]);
    rest_.remove_prefix(1);
    return true;
  }
  bool TakeU16(size_t* out) {
    if (rest_.size() < 2) return false;
    *out = (size_t{static_cast<uint8_t>(rest_[0])} << 8) | size_t{static_cast<uint8_t>(rest_[1])};
    rest_.remove_prefix(2);
    return true;
  }
  bool TakeI64(int64_t* out) {
    if (rest_.size() < kValueBytes) return false;
    uint64_t v = 0;
    for (size_t i = 0; i < kValueBytes; ++i) v = (v << 8) | static_cast<uint8_t>(rest_[i]);
    rest_.remove_prefix(kValueBytes);
    *out = static_cast<int64_t>(v);  // two's complement, well defined since C++20
    return true;
  }
  bool TakeStr(std::string_view* out) {
    size_t size = 0;
    if (!TakeU16(&size) || rest_.size() < size) return false;
    *out = rest_.substr(0, size);
    rest_.remove_prefix(size);
    return true;
  }

 private:
  std::string_view rest_;
};

// Splits a whole frame into type and payload after checking the header against the size.
Status SplitFrame(std::string_view frame, uint8_t* type, std::string_view* payload) {
  if (frame.size() < kFrameHeaderBytes) return InvalidArgument("truncated frame header");
  Result<size_t> body = DecodeFrameHeader(frame.substr(0, kFrameHeaderBytes));
  if (!body.ok()) return body.status();
  const size_t have = frame.size() - kFrameHeaderBytes;
  if (have != *body) return InvalidArgument(have < *body ? "truncated frame" : "bytes after the frame");
  *type = static_cast<uint8_t>(frame[kFrameHeaderBytes]);
  *payload = frame.substr(kFrameHeaderBytes + 1);
  return Status::Ok();
}

uint8_t KindOf(const LoadFactor& f) {
  if (f.value) return kValue;
  if (f.error == kLoadUnavailable) return kUnavailable;
  if (f.error == kHostUnreachable) return kUnreachable;
  return kBogus;
}

}  // namespace

Status CheckId(std::string_view id, size_t max_bytes, const char* what) {
  if (id.empty()) return InvalidArgument(std::string("empty ") + what);
  if (id.size() > max_bytes) return InvalidArgument(std::string(what) + " too long");
  for (unsigned char c : id) {
    if (c < 0x20 || c == 0x7f) return InvalidArgument(std::string("control character in ") + what);
  }
  return Status::Ok();
}

Result<size_t> DecodeFrameHeader(std::string_view header) {
  if (header.size() != kFrameHeaderBytes) return InvalidArgument("frame header must be 4 bytes");
  uint32_t length = 0;
  for (char c : header) length = (length << 8) | static_cast<uint8_t>(c);
  if (length == 0) return InvalidArgument("empty frame");
  if (length > kMaxFrameBytes - kFrameHeaderBytes) return InvalidArgument("frame too large");
  return static_cast<size_t>(length);
}

Result<std::string> EncodeProfileLoadRequest(std::string_view backend, std::string_view profile_id) {
  if (Status s = CheckId(backend, kMaxBackendBytes, "backend"); !s.ok()) return s;
  if (Status s = CheckId(profile_id, kMaxProfileIdBytes, "profile id"); !s.ok()) return s;
  std::string frame = Begin(FrameType::kReqProfileLoad);
  AppendStr(frame, backend);
  AppendStr(frame, profile_id);
  Finish(frame);
  return frame;
}

Result<ProfileLoadRequest> DecodeProfileLoadRequest(std::string_view frame) {
  uint8_t type = 0;
  std::string_view payload;
  if (Status s = SplitFrame(frame, &type, &payload); !s.ok()) return s;
  if (type % 2 != 0) return InvalidArgument("an answer where a request was expected");
  if (type != static_cast<uint8_t>(FrameType::kReqProfileLoad)) return InvalidArgument("unknown request type");
  Reader reader(payload);
  std::string_view backend, profile_id;
  if (!reader.TakeStr(&backend) || !reader.TakeStr(&profile_id)) return InvalidArgument("truncated field");
  if (!reader.empty()) return InvalidArgument("bytes after the last field");
  if (Status s = CheckId(backend, kMaxBackendBytes, "backend"); !s.ok()) return s;
  if (Status s = CheckId(profile_id, kMaxProfileIdBytes, "profile id"); !s.ok()) return s;
  return ProfileLoadRequest{std::string(backend), std::string(profile_id)};
}

Result<std::string> EncodeLoadsAnswer(const std::map<std::string, LoadFactor>& loads) {
  if (loads.size() > kMaxHosts) return InvalidArgument("more than " + std::to_string(kMaxHosts) + " hosts");
  std::string frame = Begin(FrameType::kAnsLoads);
  AppendU16(frame, loads.size());
  for (const auto& [host, factor] : loads) {  // std::map: strictly ascending, as required
    if (Status s = CheckId(host, kMaxHostBytes, "host"); !s.ok()) return s;
    AppendStr(frame, host);
    const uint8_t kind = KindOf(factor);
    frame.push_back(static_cast<char>(kind));
    if (kind == kValue) {
      const auto v = static_cast<uint64_t>(*factor.value);
      for (int shift = 56; shift >= 0; shift -= 8) frame.push_back(static_cast<char>((v >> shift) & 0xff));
    }
  }
  Finish(frame);
  return frame;
}

std::string EncodeUnknownProfileAnswer() {
  std::string frame;
  AppendU32(frame, 1);
  frame.push_back(static_cast<char>(FrameType::kAnsUnknownProfile));
  return frame;
}

Result<LoadAnswer> DecodeAnswer(std::string_view frame) {
  uint8_t type = 0;
  std::string_view payload;
  if (Status s = SplitFrame(frame, &type, &payload); !s.ok()) return s;
  if (type % 2 == 0) return InvalidArgument("a request where an answer was expected");
  LoadAnswer answer;
  if (type == static_cast<uint8_t>(FrameType::kAnsUnknownProfile)) {
    if (!payload.empty()) return InvalidArgument("payload in ANS_UNKNOWN_PROFILE");
    return answer;
  }
  if (type != static_cast<uint8_t>(FrameType::kAnsLoads)) return InvalidArgument("unknown answer type");
  Reader reader(payload);
  size_t count = 0;
  if (!reader.TakeU16(&count)) return InvalidArgument("truncated host count");
  if (count > kMaxHosts) return InvalidArgument("too many hosts");
  answer.known_profile = true;
  std::string_view previous;
  for (size_t i = 0; i < count; ++i) {
    std::string_view host;
    uint8_t kind = 0;
    if (!reader.TakeStr(&host) || !reader.TakeU8(&kind)) return InvalidArgument("truncated entry");
    if (Status s = CheckId(host, kMaxHostBytes, "host"); !s.ok()) return s;
    // Ascending order makes a repeated host a plain error instead of a "last one wins" rule.
    if (i > 0 && !(previous < host)) return InvalidArgument("hosts repeated or out of order");
    previous = host;
    LoadFactor factor;
    switch (kind) {
      case kValue: {
        int64_t value = 0;
        if (!reader.TakeI64(&value)) return InvalidArgument("truncated value");
        factor.value = value;
        break;
      }
      case kUnavailable: factor.error = kLoadUnavailable; break;
      case kUnreachable: factor.error = kHostUnreachable; break;
      case kBogus: factor.error = kLoadDataBogus; break;
      default: return InvalidArgument("unknown value kind");
    }
    answer.loads.emplace(std::string(host), std::move(factor));
  }
  if (!reader.empty()) return InvalidArgument("bytes after the last entry");
  return answer;
}

}  // namespace x2gobroker::core::load_checker
