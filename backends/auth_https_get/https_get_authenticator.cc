// SPDX-License-Identifier: AGPL-3.0-or-later
#include "backends/auth_https_get/https_get_authenticator.h"

#include <curl/curl.h>
#include <malloc.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>

#include "core/broker_config.h"
#include "core/log.h"

namespace x2gobroker::backends::auth_https_get {
namespace {

constexpr char kUserAgent[] = "X2Go Session Broker";  // what the reference sends
// The answer's body is of no interest; stop reading a runaway one instead of waiting for the
// total time-out.
constexpr size_t kMaxBodyBytes = 64 * 1024;

// libcurl copies option strings and headers into its own allocations and frees them without
// clearing. These allocators clear every block libcurl frees, so the copies of the
// Authorization header do not linger in freed heap memory. Installed once, before any other
// libcurl call (curl_global_init_mem).
void WipingFree(void* p) {
  if (p == nullptr) return;
  OPENSSL_cleanse(p, malloc_usable_size(p));
  std::free(p);
}
void* WipingMalloc(size_t size) { return std::malloc(size); }
void* WipingCalloc(size_t count, size_t size) { return std::calloc(count, size); }
void* WipingRealloc(void* p, size_t size) {
  if (p == nullptr) return std::malloc(size);
  void* moved = std::malloc(size == 0 ? 1 : size);
  if (moved == nullptr) return nullptr;
  std::memcpy(moved, p, std::min(size, malloc_usable_size(p)));
  WipingFree(p);
  return moved;
}
char* WipingStrdup(const char* s) {
  const size_t size = std::strlen(s) + 1;
  auto* copy = static_cast<char*>(std::malloc(size));
  if (copy != nullptr) std::memcpy(copy, s, size);
  return copy;
}

core::Status InitCurlOnce() {
  static std::once_flag once;
  static CURLcode result = CURLE_OK;
  std::call_once(once, [] {
    result = curl_global_init_mem(CURL_GLOBAL_DEFAULT, WipingMalloc, WipingFree, WipingRealloc, WipingStrdup,
                                  WipingCalloc);
  });
  if (result != CURLE_OK) return core::Internal(std::string("curl_global_init failed: ") + curl_easy_strerror(result));
  return core::Status::Ok();
}

// A buffer for secrets, cleared when it goes away. Its capacity is fixed at construction so
// that no reallocation leaves an uncleared copy behind.
class SecretBuffer {
 public:
  explicit SecretBuffer(size_t capacity) { text_.reserve(capacity); }
  SecretBuffer(const SecretBuffer&) = delete;
  SecretBuffer& operator=(const SecretBuffer&) = delete;
  ~SecretBuffer() { OPENSSL_cleanse(text_.data(), text_.capacity()); }
  // REQUIRES: the total stays within the capacity given at construction.
  void Append(std::string_view part) { text_.append(part); }
  const std::string& text() const { return text_; }
  std::string& mutable_text() { return text_; }

 private:
  std::string text_;
};

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
using CurlPtr = std::unique_ptr<CURL, CurlDeleter>;

struct HeaderListDeleter {
  void operator()(curl_slist* list) const {
    for (curl_slist* item = list; item != nullptr; item = item->next) {
      OPENSSL_cleanse(item->data, std::strlen(item->data));
    }
    curl_slist_free_all(list);
  }
};
using HeaderListPtr = std::unique_ptr<curl_slist, HeaderListDeleter>;

struct BodySink {
  size_t bytes = 0;
  bool overflow = false;
};

size_t DiscardBody(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<BodySink*>(user);
  sink->bytes += size * count;
  if (sink->bytes > kMaxBodyBytes) {
    sink->overflow = true;
    return 0;  // stops the transfer (CURLE_WRITE_ERROR); the status line is already known
  }
  return size * count;
}

bool IsHostChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
         c == '_';
}

bool HasControlChar(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
}

// Every login fails: the mechanism has no target.
class UnconfiguredAuthenticator final : public core::Authenticator {
 public:
  // core::Authenticator
  core::Result<bool> Authenticate(const std::string&, const std::string&, const std::string&) const override {
    return false;
  }
};

class HttpsGetAuthenticator final : public core::Authenticator {
 public:
  HttpsGetAuthenticator(HttpsGetTarget target, std::string url) : target_(std::move(target)), url_(std::move(url)) {}

  // core::Authenticator
  core::Result<bool> Authenticate(const std::string& user, const std::string& password,
                                  const std::string& client_address) const override {
    if (user.empty() || password.empty()) return false;
    if (user.find(':') != std::string::npos || HasControlChar(user)) return false;

    // "Authorization: Basic " + base64("user:password"), built in cleared buffers.
    SecretBuffer credentials(user.size() + 1 + password.size());
    credentials.Append(user);
    credentials.Append(":");
    credentials.Append(password);
    static constexpr std::string_view kPrefix = "Authorization: Basic ";
    const size_t encoded_size = 4 * ((credentials.text().size() + 2) / 3);
    SecretBuffer header(kPrefix.size() + encoded_size + 1);
    header.Append(kPrefix);
    std::string& text = header.mutable_text();
    text.resize(kPrefix.size() + encoded_size + 1);  // within the reserved capacity
    const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(text.data() + kPrefix.size()),
                                        reinterpret_cast<const unsigned char*>(credentials.text().data()),
                                        static_cast<int>(credentials.text().size()));
    text.resize(kPrefix.size() + static_cast<size_t>(written));

    CurlPtr curl(curl_easy_init());
    if (!curl) return core::Unavailable("https_get: curl_easy_init failed");
    HeaderListPtr headers(curl_slist_append(nullptr, header.text().c_str()));
    if (!headers) return core::Unavailable("https_get: out of memory");
    char error[CURL_ERROR_SIZE] = {0};
    BodySink sink;
    CURL* c = curl.get();
    bool set = curl_easy_setopt(c, CURLOPT_URL, url_.c_str()) == CURLE_OK &&
               curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https") == CURLE_OK &&
               curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L) == CURLE_OK &&
               curl_easy_setopt(c, CURLOPT_PROXY, "") == CURLE_OK &&  // never a proxy from the environment
               curl_easy_setopt(c, CURLOPT_HTTPGET, 1L) == CURLE_OK &&
               curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get()) == CURLE_OK &&
               curl_easy_setopt(c, CURLOPT_USERAGENT, kUserAgent) == CURLE_OK &&
               curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L) == CURLE_OK &&
               curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L) == CURLE_OK &&
               curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, target_.connect_timeout_ms) == CURLE_OK &&
               curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, target_.total_timeout_ms) == CURLE_OK &&
               curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) == CURLE_OK &&  // worker threads: no SIGALRM
               curl_easy_setopt(c, CURLOPT_FORBID_REUSE, 1L) == CURLE_OK &&
               curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, DiscardBody) == CURLE_OK &&
               curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink) == CURLE_OK &&
               curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error) == CURLE_OK;
    if (set && target_.ca_file) set = curl_easy_setopt(c, CURLOPT_CAINFO, target_.ca_file->c_str()) == CURLE_OK;
    if (!set) return core::Unavailable("https_get: libcurl refused an option");

    const CURLcode result = curl_easy_perform(c);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    if (result != CURLE_OK && !(result == CURLE_WRITE_ERROR && sink.overflow)) {
      return core::Unavailable("https_get: " + url_ + ": " + (error[0] != '\0' ? error : curl_easy_strerror(result)));
    }
    if (status == 200) return true;
    if (status >= 500) {
      return core::Unavailable("https_get: " + url_ + " answered HTTP " + std::to_string(status));
    }
    if (status >= 300 && status < 400) {
      core::LogWarning("https_get: " + url_ + " answered HTTP " + std::to_string(status) +
                       " (a redirect, which is not followed): check [authmech_https_get]");
    }
    return false;
  }

 private:
  const HttpsGetTarget target_;
  const std::string url_;
};

}  // namespace

core::Result<std::string> HttpsGetUrl(const HttpsGetTarget& target) {
  std::string host = target.host;
  const bool bracketed = host.size() >= 2 && host.front() == '[' && host.back() == ']';
  if (bracketed) host = host.substr(1, host.size() - 2);
  const bool ipv6 = host.find(':') != std::string::npos;
  const bool host_ok = !host.empty() && std::all_of(host.begin(), host.end(), [ipv6](char c) {
    return ipv6 ? (std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.') : IsHostChar(c);
  });
  if (!host_ok || (bracketed && !ipv6)) {
    return core::InvalidArgument("[authmech_https_get] host '" + core::Printable(target.host) +
                                 "' is not a host name or IP address");
  }
  const std::string& port = target.port;
  const bool port_ok = !port.empty() && port.size() <= 5 &&
                       std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
                       std::stoi(port) >= 1 && std::stoi(port) <= 65535;
  if (!port_ok) {
    return core::InvalidArgument("[authmech_https_get] port '" + core::Printable(port) + "' is not a number 1-65535");
  }
  const std::string& path = target.path;
  const bool path_ok = !path.empty() && path[0] == '/' && std::all_of(path.begin(), path.end(), [](char c) {
    return c > 0x20 && c < 0x7f && c != '#';
  });
  if (!path_ok) {
    return core::InvalidArgument("[authmech_https_get] path '" + core::Printable(path) +
                                 "' must start with / and contain only printable ASCII (no spaces, no #)");
  }
  return "https://" + (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(std::stoi(port)) + path;
}

core::Result<core::AuthenticatorPtr> MakeHttpsGetAuthenticator(const HttpsGetTarget& target) {
  core::Result<std::string> url = HttpsGetUrl(target);
  if (!url.ok()) return url.status();
  if (target.ca_file && access(target.ca_file->c_str(), R_OK) != 0) {
    return core::InvalidArgument("[authmech_https_get] ca-file " + *target.ca_file + " is not readable: " +
                                 std::strerror(errno));
  }
  if (core::Status init = InitCurlOnce(); !init.ok()) return init;
  return core::AuthenticatorPtr(std::make_shared<HttpsGetAuthenticator>(target, std::move(url).value()));
}

core::Result<core::AuthenticatorPtr> HttpsGetAuthenticatorFactory::Create(const core::BrokerConfig& config) const {
  if (!config.https_get_host || !config.https_get_path || !config.https_get_port) {
    core::LogWarning(config.source + ": [authmech_https_get] needs host, path and port; every login through the "
                     "https_get mechanism fails");
    return core::AuthenticatorPtr(std::make_shared<UnconfiguredAuthenticator>());
  }
  HttpsGetTarget target;
  target.host = *config.https_get_host;
  target.port = *config.https_get_port;
  target.path = *config.https_get_path;
  target.ca_file = config.https_get_ca_file;
  core::Result<core::AuthenticatorPtr> made = MakeHttpsGetAuthenticator(target);
  if (!made.ok()) return core::InvalidArgument(config.source + ": " + made.status().message());
  return made;
}

}  // namespace x2gobroker::backends::auth_https_get
