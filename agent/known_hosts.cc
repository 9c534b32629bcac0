// SPDX-License-Identifier: AGPL-3.0-or-later
#include "agent/known_hosts.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>

#include "core/string_util.h"
#include "core/base64.h"
#include "core/unique_fd.h"

namespace x2gobroker::agent {
namespace {

// known_hosts files of a broker hold a few hundred lines; a bigger one is not ours.
constexpr size_t kMaxKnownHostsBytes = 4 * 1024 * 1024;

// OpenSSH's match_pattern: `*` any run, `?` one character; case-insensitive like host names.
bool GlobMatch(std::string_view text, std::string_view pattern) {
  size_t t = 0, p = 0, star = std::string_view::npos, mark = 0;
  auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || lower(pattern[p]) == lower(text[t]))) {
      ++t;
      ++p;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

// `|1|<base64 salt>|<base64 HMAC-SHA1(salt, name)>`, as `ssh-keygen -H` writes it.
bool HashedMatch(std::string_view pattern, const std::string& name) {
  pattern.remove_prefix(3);
  size_t bar = pattern.find('|');
  if (bar == std::string_view::npos) return false;
  auto salt = core::Base64Decode(pattern.substr(0, bar));
  auto hash = core::Base64Decode(pattern.substr(bar + 1));
  if (!salt || !hash || hash->size() != 20) return false;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  if (HMAC(EVP_sha1(), salt->data(), static_cast<int>(salt->size()), reinterpret_cast<const unsigned char*>(name.data()),
           name.size(), mac, &mac_len) == nullptr) {
    return false;
  }
  return mac_len == hash->size() && std::memcmp(mac, hash->data(), mac_len) == 0;
}

bool HostsFieldMatches(std::string_view hosts, const std::vector<std::string>& names) {
  if (hosts.substr(0, 3) == "|1|") {
    return std::any_of(names.begin(), names.end(), [&](const std::string& n) { return HashedMatch(hosts, n); });
  }
  bool positive = false;
  size_t start = 0;
  while (start <= hosts.size()) {
    size_t comma = hosts.find(',', start);
    std::string_view pattern = hosts.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    bool negated = !pattern.empty() && pattern[0] == '!';
    if (negated) pattern.remove_prefix(1);
    for (const std::string& n : names) {
      if (!pattern.empty() && GlobMatch(n, pattern)) {
        if (negated) return false;  // a negated match excludes the line whatever else matches
        positive = true;
      }
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return positive;
}

struct Entry {
  bool revoked = false;
  std::string type;
  std::optional<std::string> blob;
};

// Calls visit(entry) for each usable line naming one of `names`.
template <typename Visit>
void ForEachEntry(std::string_view text, const std::vector<std::string>& names, Visit visit) {
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::vector<std::string_view> f = core::SplitWhitespace(line);
    if (f.empty() || f[0][0] == '#') continue;
    Entry e;
    if (f[0][0] == '@') {
      if (f[0] != "@revoked") continue;  // @cert-authority: certificates are not used here
      e.revoked = true;
      f.erase(f.begin());
    }
    if (f.size() < 3 || !HostsFieldMatches(f[0], names)) continue;
    e.type = std::string(f[1]);
    e.blob = core::Base64Decode(f[2]);
    if (!e.blob) continue;  // a malformed line is skipped, as OpenSSH does
    visit(e);
  }
}

std::optional<std::string> ReadSmallFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string text;
  char buf[8192];
  while (in.read(buf, sizeof(buf)) || in.gcount() > 0) {
    text.append(buf, static_cast<size_t>(in.gcount()));
    if (text.size() > kMaxKnownHostsBytes) return std::nullopt;
  }
  return text;
}

std::string ReadFd(int fd) {
  std::string text;
  char buf[8192];
  off_t offset = 0;
  for (;;) {
    ssize_t n = ::pread(fd, buf, sizeof(buf), offset);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || text.size() > kMaxKnownHostsBytes) break;
    text.append(buf, static_cast<size_t>(n));
    offset += n;
  }
  return text;
}

}  // namespace

std::string KnownHostsName(const std::string& host, int port) {
  if (port == 22) return host;
  return "[" + host + "]:" + std::to_string(port);
}

std::string KeyBlobType(std::string_view blob) {
  if (blob.size() < 4) return "";
  uint32_t len = (static_cast<uint32_t>(static_cast<unsigned char>(blob[0])) << 24) |
                 (static_cast<uint32_t>(static_cast<unsigned char>(blob[1])) << 16) |
                 (static_cast<uint32_t>(static_cast<unsigned char>(blob[2])) << 8) |
                 static_cast<uint32_t>(static_cast<unsigned char>(blob[3]));
  if (len == 0 || len > 64 || len > blob.size() - 4) return "";
  return std::string(blob.substr(4, len));
}

HostKeyCheck CheckKnownHostsText(std::string_view text, const std::vector<std::string>& names, std::string_view blob) {
  const std::string type = KeyBlobType(blob);
  bool match = false, other_key = false, revoked = false;
  ForEachEntry(text, names, [&](const Entry& e) {
    bool same = e.blob && *e.blob == blob;
    if (e.revoked) {
      revoked = revoked || same;
    } else if (e.type == type) {
      (same ? match : other_key) = true;
    }
  });
  if (revoked) return HostKeyCheck::kMismatch;
  if (match) return HostKeyCheck::kMatch;
  return other_key ? HostKeyCheck::kMismatch : HostKeyCheck::kUnknown;
}

HostKeyCheck CheckKnownHostsFiles(const std::vector<std::string>& files, const std::vector<std::string>& names,
                                  std::string_view blob) {
  std::string all;
  for (const std::string& file : files) {
    if (auto text = ReadSmallFile(file)) {
      all += *text;
      all += '\n';
    }
  }
  return CheckKnownHostsText(all, names, blob);
}

std::vector<std::string> KnownKeyTypes(const std::vector<std::string>& files, const std::vector<std::string>& names) {
  std::vector<std::string> types;
  for (const std::string& file : files) {
    auto text = ReadSmallFile(file);
    if (!text) continue;
    ForEachEntry(*text, names, [&](const Entry& e) {
      if (!e.revoked && std::find(types.begin(), types.end(), e.type) == types.end()) types.push_back(e.type);
    });
  }
  return types;
}

std::vector<std::string> KnownHostKeys(const std::vector<std::string>& files, const std::vector<std::string>& names) {
  std::vector<std::string> blobs;
  for (const std::string& file : files) {
    auto text = ReadSmallFile(file);
    if (!text) continue;
    ForEachEntry(*text, names, [&](const Entry& e) {
      if (!e.revoked && std::find(blobs.begin(), blobs.end(), *e.blob) == blobs.end()) blobs.push_back(*e.blob);
    });
  }
  return blobs;
}

std::string HostKeyFingerprint(std::string_view blob) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  if (EVP_Digest(blob.data(), blob.size(), digest, &digest_len, EVP_sha256(), nullptr) != 1) return "";
  std::string text = core::Base64Encode(std::string_view(reinterpret_cast<const char*>(digest), digest_len));
  while (!text.empty() && text.back() == '=') text.pop_back();
  return "SHA256:" + text;
}

core::Status PinHostKey(const std::string& file, const std::string& name, const std::vector<std::string>& names,
                        std::string_view blob, HostKeyCheck* result) {
  core::UniqueFd fd(::open(file.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0644));
  if (!fd.valid()) return core::Unavailable("cannot open " + file + ": " + std::strerror(errno));
  // Several broker processes may meet the same new host at once: the second must see the
  // first's line instead of appending a duplicate (or, if keys differ, refuse).
  while (::flock(fd.get(), LOCK_EX) != 0) {
    if (errno != EINTR) return core::Unavailable("cannot lock " + file + ": " + std::strerror(errno));
  }
  std::string text = ReadFd(fd.get());
  *result = CheckKnownHostsText(text, names, blob);
  if (*result != HostKeyCheck::kUnknown) return core::Status::Ok();
  std::string line;
  if (!text.empty() && text.back() != '\n') line += '\n';
  line += name + " " + KeyBlobType(blob) + " " + core::Base64Encode(blob) + "\n";
  ssize_t n = ::write(fd.get(), line.data(), line.size());
  if (n != static_cast<ssize_t>(line.size())) return core::Unavailable("cannot append to " + file);
  if (::fsync(fd.get()) != 0 || !fd.Close()) return core::Unavailable("cannot write " + file);
  return core::Status::Ok();
}

}  // namespace x2gobroker::agent
