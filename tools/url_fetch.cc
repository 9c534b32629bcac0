// SPDX-License-Identifier: AGPL-3.0-or-later
#include "tools/url_fetch.h"

#include <curl/curl.h>

#include <memory>

#include "core/string_util.h"

namespace x2gobroker::tools {
namespace {

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
using CurlPtr = std::unique_ptr<CURL, CurlDeleter>;

struct Sink {
  std::string body;
  size_t max_bytes = 0;
  bool too_large = false;
};

size_t Collect(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const size_t n = size * count;
  if (sink->body.size() + n > sink->max_bytes) {
    sink->too_large = true;
    return 0;  // makes curl stop with CURLE_WRITE_ERROR
  }
  sink->body.append(data, n);
  return n;
}

}  // namespace

core::Result<std::string> FetchUrl(const std::string& url, const FetchOptions& options) {
  const std::string lower = core::ToLower(url.substr(0, 8));
  const bool https = core::StartsWith(lower, "https://");
  const bool http = core::StartsWith(lower, "http://");
  if (!https && !(http && options.allow_http)) {
    return core::InvalidArgument(http ? "refusing plain http:// (the keys could be replaced on the way); use https://"
                                      : "expected an https:// URL");
  }
  CurlPtr curl(curl_easy_init());
  if (!curl) return core::Internal("curl_easy_init failed");
  Sink sink;
  sink.max_bytes = options.max_bytes;
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, options.allow_http ? "http,https" : "https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, options.connect_timeout_ms);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, options.timeout_ms);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, options.ca_file.c_str());
  curl_easy_setopt(c, CURLOPT_USERAGENT, "x2gobroker-pubkeyauthorizer");
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
  char error[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);

  CURLcode rc = curl_easy_perform(c);
  if (sink.too_large) return core::TooLarge(url + ": answer larger than " + std::to_string(options.max_bytes) + " bytes");
  if (rc == CURLE_OPERATION_TIMEDOUT) return core::DeadlineExceeded(url + ": timed out");
  if (rc != CURLE_OK) {
    return core::Unavailable(url + ": " + (error[0] != '\0' ? std::string(error) : curl_easy_strerror(rc)));
  }
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (status != 200) return core::Unavailable(url + ": HTTP status " + std::to_string(status));
  return sink.body;
}

}  // namespace x2gobroker::tools
