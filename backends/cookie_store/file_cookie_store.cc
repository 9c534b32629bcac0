// SPDX-License-Identifier: AGPL-3.0-or-later
#include "backends/cookie_store/file_cookie_store.h"

#include <dirent.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <memory>
#include <string_view>
#include <utility>

#include "core/log.h"
#include "core/secure_random.h"
#include "core/string_util.h"
#include "core/unique_fd.h"

namespace x2gobroker::backends::cookie_store {
namespace {

using core::CookieRecord;
using core::Result;
using core::Status;

constexpr std::string_view kMagic = "x2gobroker-cookie 1\n";
constexpr std::string_view kTmpPrefix = "tmp.";
constexpr std::string_view kClaimPrefix = "claim.";
constexpr size_t kHashHexChars = 64;   // SHA-256
constexpr size_t kNonceHexChars = 32;  // 128 random bits: unique among all writers and takers
// Longer than any user name NSS, PAM or an HTTP auth server accepts; the form parser already
// caps the whole request body at 64 KiB.
constexpr size_t kMaxUserBytes = 16 * 1024;
constexpr size_t kMaxAddressBytes = 256;  // an IPv6 text with a zone id is at most ~60
// Upper bound of a record file: magic, both hex fields at their maximum, the time and labels.
constexpr size_t kMaxRecordBytes = 2 * (kMaxUserBytes + kMaxAddressBytes) + 256;

using Fd = core::UniqueFd;

struct DirCloser {
  void operator()(DIR* d) const { closedir(d); }
};

std::string ErrnoText(int err) { return std::strerror(err); }

std::string Hex(std::string_view bytes) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

bool IsLowerHex(std::string_view text) {
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// Strict inverse of Hex(): lower-case digits only, even length.
bool Unhex(std::string_view hex, std::string* out) {
  if (hex.size() % 2 != 0 || !IsLowerHex(hex)) return false;
  auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
  out->clear();
  out->reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) out->push_back(static_cast<char>(nibble(hex[i]) << 4 | nibble(hex[i + 1])));
  return true;
}

std::string RandomHex() { return core::RandomHex(kNonceHexChars / 2); }

std::string EncodeRecord(const CookieRecord& record) {
  std::string out(kMagic);
  out += "user " + Hex(record.user) + "\n";
  out += "address " + Hex(record.client_address) + "\n";
  out += "issued " + std::to_string(record.issued_at) + "\n";
  return out;
}

// Takes "<label> <value>\n" off the front of *text.
bool TakeLine(std::string_view* text, std::string_view label, std::string_view* value) {
  size_t end = text->find('\n');
  if (end == std::string_view::npos) return false;
  std::string_view line = text->substr(0, end);
  if (line.size() < label.size() + 1 || line.substr(0, label.size()) != label || line[label.size()] != ' ') return false;
  *value = line.substr(label.size() + 1);
  text->remove_prefix(end + 1);
  return true;
}

// Non-negative decimal without sign or leading zeros, fitting int64_t.
bool ParseSeconds(std::string_view text, int64_t* out) {
  if (text.empty() || text.size() > 18 || (text.size() > 1 && text[0] == '0')) return false;
  int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  *out = value;
  return true;
}

bool DecodeRecord(std::string_view text, CookieRecord* record) {
  if (text.substr(0, kMagic.size()) != kMagic) return false;
  text.remove_prefix(kMagic.size());
  std::string_view user, address, issued;
  if (!TakeLine(&text, "user", &user) || !TakeLine(&text, "address", &address) ||
      !TakeLine(&text, "issued", &issued) || !text.empty()) {
    return false;
  }
  CookieRecord out;
  if (!Unhex(user, &out.user) || !Unhex(address, &out.client_address) || !ParseSeconds(issued, &out.issued_at)) {
    return false;
  }
  if (out.user.size() > kMaxUserBytes || out.client_address.size() > kMaxAddressBytes) return false;
  *record = std::move(out);
  return true;
}

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// What ReadRecordFile found.
enum class ReadOutcome { kOk, kMissing, kCorrupt, kError };

// Reads and decodes the regular file `name` in `dir` (never following a symlink).
ReadOutcome ReadRecordFile(int dir, const std::string& name, CookieRecord* record, std::string* error) {
  Fd fd(openat(dir, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
  if (!fd.valid()) {
    const int err = errno;
    if (err == ENOENT) return ReadOutcome::kMissing;
    if (err == ELOOP) return ReadOutcome::kCorrupt;  // a symlink: not ours
    *error = "cannot open cookie file: " + ErrnoText(err);
    return ReadOutcome::kError;
  }
  struct stat st {};
  if (fstat(fd.get(), &st) != 0) {
    const int err = errno;
    *error = "cannot stat cookie file: " + ErrnoText(err);
    return ReadOutcome::kError;
  }
  if (!S_ISREG(st.st_mode) || st.st_size < 0 || static_cast<size_t>(st.st_size) > kMaxRecordBytes) {
    return ReadOutcome::kCorrupt;
  }
  std::string content(static_cast<size_t>(st.st_size) + 1, '\0');  // +1 detects growth
  size_t used = 0;
  while (used < content.size()) {
    ssize_t n = read(fd.get(), content.data() + used, content.size() - used);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      *error = "cannot read cookie file: " + ErrnoText(err);
      return ReadOutcome::kError;
    }
    if (n == 0) break;
    used += static_cast<size_t>(n);
  }
  content.resize(used);
  return DecodeRecord(content, record) ? ReadOutcome::kOk : ReadOutcome::kCorrupt;
}

// True for the names this store creates (records, temporary files, claims).
bool IsStoreFileName(std::string_view name) {
  if (name.size() == kHashHexChars) return IsLowerHex(name);
  if (core::StartsWith(name, kTmpPrefix)) {
    std::string_view rest = name.substr(kTmpPrefix.size());
    return rest.size() == kNonceHexChars && IsLowerHex(rest);
  }
  if (core::StartsWith(name, kClaimPrefix)) {
    std::string_view rest = name.substr(kClaimPrefix.size());
    return rest.size() == kHashHexChars + 1 + kNonceHexChars && rest[kHashHexChars] == '.' &&
           IsLowerHex(rest.substr(0, kHashHexChars)) && IsLowerHex(rest.substr(kHashHexChars + 1));
  }
  return false;
}

// Opens the directory and checks that it is safe to keep secrets in: a directory owned by the
// effective uid that nobody else can write. With `create`, a missing directory (and missing
// parents, 0755) is created first, the directory itself 0700. NotFound if missing without
// `create`; Unavailable with the reason otherwise.
Result<Fd> OpenStoreDirectory(const std::string& path, bool create) {
  if (path.empty() || path[0] != '/') {
    return core::Unavailable("cookie-directory '" + core::Printable(path) + "' is not an absolute path");
  }
  for (int attempt = 0; attempt < 2; ++attempt) {
    Fd fd(open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.valid()) {
      struct stat st {};
      if (fstat(fd.get(), &st) != 0) {
        const int err = errno;
        return core::Unavailable("cookie-directory " + path + ": " + ErrnoText(err));
      }
      if (st.st_uid != geteuid()) {
        return core::Unavailable("cookie-directory " + path + " is owned by uid " + std::to_string(st.st_uid) +
                                 ", not by the broker's uid " + std::to_string(geteuid()) +
                                 "; refusing to keep cookies there (chown it to the broker user)");
      }
      if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
        char mode[8];
        snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
        return core::Unavailable("cookie-directory " + path + " has mode " + mode +
                                 " (group- or world-writable); refusing to keep cookies there (chmod 0700)");
      }
      return fd;
    }
    const int open_errno = errno;
    if (open_errno != ENOENT) {
      return core::Unavailable("cannot open cookie-directory " + path + ": " + ErrnoText(open_errno));
    }
    if (!create) return core::NotFound("cookie-directory " + path + " does not exist");
    // mkdir -p: parents 0755, the store itself 0700. EEXIST: another worker was faster.
    for (size_t slash = path.find('/', 1); slash != std::string::npos; slash = path.find('/', slash + 1)) {
      std::string parent = path.substr(0, slash);
      if (mkdir(parent.c_str(), 0755) != 0 && errno != EEXIST) {
        const int err = errno;
        return core::Unavailable("cannot create " + parent + " for cookie-directory: " + ErrnoText(err));
      }
    }
    if (mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) {
      const int err = errno;
      return core::Unavailable("cannot create cookie-directory " + path + ": " + ErrnoText(err));
    }
  }
  return core::Unavailable("cookie-directory " + path + " vanished while being created");
}

int64_t WallClockNow() { return static_cast<int64_t>(std::time(nullptr)); }

int64_t SteadySeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

Result<int> PurgeOpenDirectory(int dir, int64_t max_age_seconds) {
  int copy = fcntl(dir, F_DUPFD_CLOEXEC, 0);
  if (copy < 0) {
    const int err = errno;
    return core::Unavailable("cannot purge cookie-directory: " + ErrnoText(err));
  }
  std::unique_ptr<DIR, DirCloser> listing(fdopendir(copy));
  if (!listing) {
    int err = errno;
    close(copy);
    return core::Unavailable("cannot list cookie-directory: " + ErrnoText(err));
  }
  const int64_t cutoff = WallClockNow() - max_age_seconds;
  int deleted = 0;
  while (dirent* entry = readdir(listing.get())) {
    std::string_view name = entry->d_name;
    if (!IsStoreFileName(name)) continue;
    struct stat st {};
    if (fstatat(dir, entry->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;  // gone meanwhile
    if (!S_ISREG(st.st_mode) || static_cast<int64_t>(st.st_mtime) >= cutoff) continue;
    if (unlinkat(dir, entry->d_name, 0) == 0) ++deleted;  // ENOENT: a taker or purger was faster
  }
  return deleted;
}

class FileCookieStore final : public core::CookieStore {
 public:
  explicit FileCookieStore(FileCookieStoreOptions options)
      : options_(std::move(options)), next_purge_(SteadySeconds() + options_.purge_interval) {}

  // Checks the directory and purges it; logs (and keeps going) if it is unusable. A missing
  // directory is created by the first Put only: `x2gobroker-fcgi --check-config` run by root
  // must not leave a root-owned directory that the broker user may not use.
  void Prepare() {
    Result<Fd> dir = OpenStoreDirectory(options_.directory, /*create=*/false);
    if (!dir.ok() && dir.status().code() == core::StatusCode::kNotFound) return;
    if (!dir.ok()) {
      core::LogError(dir.status().message() + "; logins that need an AUTHID will fail with 503");
      return;
    }
    Result<int> purged = PurgeOpenDirectory(dir->get(), MaxAge());
    if (!purged.ok()) {
      core::LogWarning(purged.status().message());
    } else if (*purged > 0) {
      core::LogInfo("cookie-directory " + options_.directory + ": purged " + std::to_string(*purged) +
                    " expired cookie(s)");
    }
  }

  // core::CookieStore
  Status Put(const std::string& token, const CookieRecord& record) override {
    if (record.user.size() > kMaxUserBytes) return core::InvalidArgument("user name too long for the cookie store");
    if (record.client_address.size() > kMaxAddressBytes) return core::InvalidArgument("client address too long");
    if (record.issued_at < 0) return core::InvalidArgument("negative cookie issue time");
    Result<Fd> dir = OpenStoreDirectory(options_.directory, /*create=*/true);
    if (!dir.ok()) return dir.status();
    const std::string temp = std::string(kTmpPrefix) + RandomHex();
    Fd file(openat(dir->get(), temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!file.valid()) {
      const int err = errno;
      return core::Unavailable("cannot create a file in cookie-directory " + options_.directory + ": " + ErrnoText(err));
    }
    int err = WriteAll(file.get(), EncodeRecord(record)) ? 0 : errno;
    if (!file.Close() && err == 0) err = errno;
    if (err == 0 && renameat(dir->get(), temp.c_str(), dir->get(), CookieFileName(token).c_str()) != 0) err = errno;
    if (err != 0) {
      unlinkat(dir->get(), temp.c_str(), 0);
      return core::Unavailable("cannot store a cookie in " + options_.directory + ": " + ErrnoText(err));
    }
    MaybePurge(dir->get());
    return Status::Ok();
  }

  Result<CookieRecord> Take(const std::string& token, const std::string& user) override {
    Result<Fd> dir = OpenStoreDirectory(options_.directory, /*create=*/false);
    if (!dir.ok()) return dir.status();
    const std::string name = CookieFileName(token);
    // Look before claiming: a cookie presented with another user's name is left in place
    // without ever being moved, so its owner cannot lose a race against the impostor.
    CookieRecord record;
    std::string error;
    switch (ReadRecordFile(dir->get(), name, &record, &error)) {
      case ReadOutcome::kOk: break;
      case ReadOutcome::kMissing: return core::NotFound("no such cookie");
      case ReadOutcome::kCorrupt:
        core::LogWarning("cookie-directory " + options_.directory + ": ignoring malformed record " +
                         name.substr(0, 8) + "...");
        return core::NotFound("malformed cookie record");
      case ReadOutcome::kError: return core::Unavailable(error);
    }
    if (!core::ConstantTimeEquals(record.user, user)) return core::NotFound("cookie issued to another user");
    // Claim: rename(2) is atomic, so of several takers in any process exactly one succeeds.
    const std::string claim = std::string(kClaimPrefix) + name + "." + RandomHex();
    if (renameat(dir->get(), name.c_str(), dir->get(), claim.c_str()) != 0) {
      const int err = errno;
      if (err == ENOENT) return core::NotFound("cookie taken by a concurrent request");
      return core::Unavailable("cannot claim a cookie in " + options_.directory + ": " + ErrnoText(err));
    }
    // The claimed file is ours alone now; its content is what counts.
    const ReadOutcome claimed = ReadRecordFile(dir->get(), claim, &record, &error);
    if (claimed == ReadOutcome::kOk && !core::ConstantTimeEquals(record.user, user)) {
      // Replaced between the look and the claim (not done by this store, but cheap to honour):
      // put it back unless a new record took the name meanwhile.
      if (renameat2(dir->get(), claim.c_str(), dir->get(), name.c_str(), RENAME_NOREPLACE) != 0) {
        unlinkat(dir->get(), claim.c_str(), 0);
      }
      return core::NotFound("cookie issued to another user");
    }
    unlinkat(dir->get(), claim.c_str(), 0);
    if (claimed == ReadOutcome::kError) return core::Unavailable(error);
    if (claimed != ReadOutcome::kOk) return core::NotFound("malformed cookie record");
    return record;
  }

 private:
  // auth-timeout + margin, both clamped to [0, kMaxAge] so that the sum cannot overflow.
  int64_t MaxAge() const {
    constexpr int64_t kMaxAge = int64_t{1} << 40;  // ~35,000 years: "never" for a cookie
    auto clamp = [](int64_t v) { return v < 0 ? 0 : v > kMaxAge ? kMaxAge : v; };
    return clamp(options_.auth_timeout) + clamp(options_.purge_margin);
  }

  // At most one purge per interval per store; the thread that wins the exchange does it.
  void MaybePurge(int dir) {
    const int64_t now = SteadySeconds();
    int64_t due = next_purge_.load(std::memory_order_relaxed);
    if (now < due || !next_purge_.compare_exchange_strong(due, now + options_.purge_interval)) return;
    Result<int> purged = PurgeOpenDirectory(dir, MaxAge());
    if (!purged.ok()) core::LogWarning(purged.status().message());
  }

  const FileCookieStoreOptions options_;
  std::atomic<int64_t> next_purge_;  // steady-clock seconds
};

}  // namespace

std::string CookieFileName(const std::string& token) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(token.data(), token.size(), digest, &length, EVP_sha256(), nullptr) != 1 || length != 32) {
    // Only an unusable libcrypto gets here; a weak fallback name would be worse than stopping.
    core::LogError("SHA-256 unavailable in libcrypto");
    std::abort();
  }
  return Hex(std::string_view(reinterpret_cast<const char*>(digest), length));
}

core::Result<int> PurgeCookieDirectory(const std::string& directory, int64_t max_age_seconds) {
  Result<Fd> dir = OpenStoreDirectory(directory, /*create=*/false);
  if (!dir.ok()) return dir.status().code() == core::StatusCode::kNotFound ? Result<int>(0) : dir.status();
  return PurgeOpenDirectory(dir->get(), max_age_seconds);
}

core::Result<core::CookieStorePtr> MakeFileCookieStore(const FileCookieStoreOptions& options) {
  if (options.directory.empty() || options.directory[0] != '/') {
    return core::InvalidArgument("cookie-directory must be an absolute path, not '" +
                                 core::Printable(options.directory) + "'");
  }
  auto store = std::make_shared<FileCookieStore>(options);
  store->Prepare();
  return core::CookieStorePtr(std::move(store));
}

core::CookieStoreFactory MakeFileCookieStoreFactory() {
  return [](const core::BrokerConfig& config) -> core::Result<core::CookieStorePtr> {
    FileCookieStoreOptions options;
    options.directory = config.cookie_directory;
    options.auth_timeout = config.auth_timeout;
    if (!(config.check_credentials && config.require_password)) {
      // No dynamic cookie is ever issued: leave the file system alone (a bad path only
      // matters, and is only reported, once it is used).
      return core::CookieStorePtr(std::make_shared<FileCookieStore>(std::move(options)));
    }
    return MakeFileCookieStore(options);
  };
}

}  // namespace x2gobroker::backends::cookie_store
