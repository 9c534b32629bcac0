// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/ssh_public_key.h"

#include <array>
#include <chrono>
#include <cstdio>

#include "core/base64.h"
#include "core/ip_address.h"

namespace x2gobroker::core {
namespace {

// Characters that would change the agent's shell command or its sed expression `s!^KEY$!!`
// (§9.5); the broker never emits them and refuses keys that contain them.
constexpr std::string_view kForbiddenChars = "';!\\`$";

bool IsCommentChar(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '@' || c == '.' ||
         c == '_' || c == '-';
}

// The accepted key types and, for ecdsa, the curve name and the uncompressed point size.
struct KeyType {
  std::string_view name;
  std::string_view curve;  // empty unless ecdsa
  size_t point_bytes;      // 1 + 2 * coordinate bytes
};
constexpr std::array<KeyType, 5> kKeyTypes{{
    {"ssh-rsa", "", 0},
    {"ssh-ed25519", "", 0},
    {"ecdsa-sha2-nistp256", "nistp256", 1 + 2 * 32},
    {"ecdsa-sha2-nistp384", "nistp384", 1 + 2 * 48},
    {"ecdsa-sha2-nistp521", "nistp521", 1 + 2 * 66},
}};

const KeyType* FindKeyType(std::string_view name) {
  for (const KeyType& t : kKeyTypes) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

// Reads SSH wire-format fields (RFC 4251 §5) from a decoded blob; every read is bounds-checked.
class WireReader {
 public:
  explicit WireReader(std::string_view data) : rest_(data) {}
  std::optional<std::string_view> String() {
    if (rest_.size() < 4) return std::nullopt;
    uint32_t length = 0;
    for (int i = 0; i < 4; ++i) length = (length << 8) | static_cast<unsigned char>(rest_[i]);
    rest_.remove_prefix(4);
    if (length > rest_.size()) return std::nullopt;
    std::string_view s = rest_.substr(0, length);
    rest_.remove_prefix(length);
    return s;
  }
  bool AtEnd() const { return rest_.empty(); }

 private:
  std::string_view rest_;
};

// A strictly positive, minimally encoded mpint: returns its magnitude bytes (no sign byte).
std::optional<std::string_view> PositiveMpint(std::string_view raw) {
  if (raw.empty()) return std::nullopt;  // zero
  auto first = static_cast<unsigned char>(raw[0]);
  if (first & 0x80) return std::nullopt;  // negative
  if (first == 0) {
    if (raw.size() < 2 || !(static_cast<unsigned char>(raw[1]) & 0x80)) return std::nullopt;  // not minimal
    raw.remove_prefix(1);
  }
  return raw;
}

size_t BitLength(std::string_view magnitude) {
  unsigned top = static_cast<unsigned char>(magnitude[0]);
  size_t bits = (magnitude.size() - 1) * 8;
  while (top != 0) {
    ++bits;
    top >>= 1;
  }
  return bits;
}

bool IsOdd(std::string_view magnitude) { return static_cast<unsigned char>(magnitude.back()) & 1; }

// OpenSSH refuses RSA moduli below 1024 bits and cannot load more than 16384.
constexpr size_t kMinRsaBits = 1024;
constexpr size_t kMaxRsaBits = 16384;

bool ValidBlob(const KeyType& type, std::string_view blob) {
  WireReader reader(blob);
  std::optional<std::string_view> name = reader.String();
  if (!name || *name != type.name) return false;
  if (type.name == "ssh-ed25519") {
    std::optional<std::string_view> point = reader.String();
    if (!point || point->size() != 32) return false;
  } else if (type.name == "ssh-rsa") {
    std::optional<std::string_view> e_raw = reader.String();
    std::optional<std::string_view> n_raw = reader.String();
    if (!e_raw || !n_raw) return false;
    std::optional<std::string_view> e = PositiveMpint(*e_raw);
    std::optional<std::string_view> n = PositiveMpint(*n_raw);
    if (!e || !n || e->size() > 8 || !IsOdd(*e) || BitLength(*e) < 2) return false;
    size_t n_bits = BitLength(*n);
    if (n_bits < kMinRsaBits || n_bits > kMaxRsaBits || !IsOdd(*n)) return false;
  } else {
    std::optional<std::string_view> curve = reader.String();
    std::optional<std::string_view> point = reader.String();
    if (!curve || *curve != type.curve || !point) return false;
    if (point->size() != type.point_bytes || (*point)[0] != '\x04') return false;
  }
  return reader.AtEnd();
}

// Validates type + base64 and returns the canonical base64 of the blob.
std::optional<std::string> CheckedBlob(std::string_view type_name, std::string_view blob_base64) {
  const KeyType* type = FindKeyType(type_name);
  if (type == nullptr) return std::nullopt;
  std::optional<std::string> blob = Base64Decode(blob_base64);
  if (!blob || !ValidBlob(*type, *blob)) return std::nullopt;
  return Base64Encode(*blob);
}

void SkipSpaces(std::string_view& s) {
  while (!s.empty() && s[0] == ' ') s.remove_prefix(1);
}

// Takes the next space-delimited word; in `quoted_ok` mode spaces inside "..." do not end it.
std::optional<std::string_view> NextWord(std::string_view& s, bool quoted_ok) {
  bool in_quotes = false;
  size_t i = 0;
  for (; i < s.size(); ++i) {
    if (quoted_ok && s[i] == '"') in_quotes = !in_quotes;
    if (s[i] == ' ' && !in_quotes) break;
  }
  if (in_quotes) return std::nullopt;
  std::string_view word = s.substr(0, i);
  s.remove_prefix(i);
  return word;
}

}  // namespace

std::string FilterKeyComment(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (out.size() == kMaxKeyCommentLength) break;
    if (IsCommentChar(c)) out.push_back(static_cast<char>(c));
  }
  return out;
}

std::string KeyComment(std::string_view user, std::string_view client_ip) {
  std::string raw(user);
  raw += '@';
  raw += client_ip;
  return FilterKeyComment(raw);
}

Result<SshPublicKey> ParseClientPublicKey(std::string_view text) {
  if (text.size() > kMaxClientKeyBytes) return InvalidArgument("public key too long");
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) return InvalidArgument("control character in public key");
    if (kForbiddenChars.find(static_cast<char>(c)) != std::string_view::npos) {
      return InvalidArgument("forbidden character in public key");
    }
  }
  std::string_view rest = text;
  SkipSpaces(rest);
  std::optional<std::string_view> word = NextWord(rest, /*quoted_ok=*/true);
  if (!word || word->empty()) return InvalidArgument("malformed public key");
  if (FindKeyType(*word) == nullptr) {
    // An options prefix: dropped, but it must be printable ASCII (checked above except > 0x7e).
    for (unsigned char c : *word) {
      if (c > 0x7e) return InvalidArgument("non-ASCII options in public key");
    }
    SkipSpaces(rest);
    word = NextWord(rest, /*quoted_ok=*/false);
  }
  std::string_view type = *word;
  if (FindKeyType(type) == nullptr) return InvalidArgument("unsupported public key type");
  SkipSpaces(rest);
  std::optional<std::string_view> blob_word = NextWord(rest, /*quoted_ok=*/false);
  std::optional<std::string> blob = CheckedBlob(type, *blob_word);
  if (!blob) return InvalidArgument("public key blob does not match its type");
  // What is left (after the separating spaces) is the comment; characters outside the allowed
  // set are dropped rather than refused, so `Jürgen Müller@host` still installs.
  SkipSpaces(rest);
  return SshPublicKey{std::string(type), std::move(*blob), FilterKeyComment(rest)};
}

std::optional<std::string> FormatExpiryTime(int64_t unix_seconds) {
  // 253402300799 = 9999-12-31T23:59:59Z: the last instant with a four-digit year.
  if (unix_seconds < 0 || unix_seconds > 253402300799) return std::nullopt;
  using namespace std::chrono;
  sys_seconds t{seconds{unix_seconds}};
  sys_days day = floor<days>(t);
  year_month_day ymd{day};
  hh_mm_ss hms{t - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%02u%02u%02d%02d%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return std::string(buf);
}

std::string AuthorizedKeyLine(const SshPublicKey& key, const AuthorizedKeyOptions& options) {
  std::optional<std::string> blob = CheckedBlob(key.type, key.blob_base64);
  if (!blob) return "";
  std::string line = kAuthorizedKeyFixedOptions;
  if (options.from_address) {
    std::optional<IpAddress> address = IpAddress::Parse(*options.from_address);
    if (!address) return "";
    line += ",from=\"" + address->ToString() + "\"";
  }
  if (options.expires_at_unix) {
    std::optional<std::string> expiry = FormatExpiryTime(*options.expires_at_unix);
    if (!expiry) return "";
    line += ",expiry-time=\"" + *expiry + "\"";
  }
  line += ' ';
  line += key.type;
  line += ' ';
  line += *blob;
  std::string comment = FilterKeyComment(key.comment);
  if (!comment.empty()) {
    line += ' ';
    line += comment;
  }
  return line;
}

}  // namespace x2gobroker::core
