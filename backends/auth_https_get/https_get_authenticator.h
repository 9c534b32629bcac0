// SPDX-License-Identifier: AGPL-3.0-or-later
// The `https_get` authentication mechanism (PROTOCOL.md §4.4, §13 row 20): a login succeeds iff
// `GET https://<host>:<port><path>` with `Authorization: Basic base64(user:password)` and
// `User-Agent: X2Go Session Broker` is answered with HTTP 200. Target from
// [authmech_https_get] host, port, path, plus our optional ca-file.
//
// Differences from the reference (which crashes under Python 3): the server certificate and
// host name are verified (system CA bundle, or ca-file); connect and total time-outs; redirects
// are never followed; no proxy from the environment is used; an unreachable or failing server
// (network/TLS error, time-out, HTTP 5xx) is Unavailable (503), not a wrong password. User
// names with ':' or control characters and empty user names or passwords fail without asking
// the server (':' is ambiguous in Basic auth; an empty password is an anonymous bind on many
// LDAP-backed servers). The credentials exist only in buffers this file wipes: the header is
// built here, and libcurl's own allocations are wiped when freed (curl_global_init_mem).
// Immutable after creation: thread-safe (one curl handle per login).
#pragma once

#include <optional>
#include <string>

#include "core/authenticator.h"
#include "core/status.h"

namespace x2gobroker::backends::auth_https_get {

struct HttpsGetTarget {
  std::string host;  // DNS name, IPv4 or IPv6 address (with or without brackets)
  std::string port;  // decimal, 1-65535
  std::string path;  // starts with '/'
  std::optional<std::string> ca_file;  // PEM bundle of trusted CAs; unset = the system's
  long connect_timeout_ms = 3000;      // TCP + TLS handshake
  long total_timeout_ms = 5000;        // the whole exchange
};

// The URL of `target`, or InvalidArgument naming the bad value.
core::Result<std::string> HttpsGetUrl(const HttpsGetTarget& target);

// An authenticator for `target`. InvalidArgument if the target is malformed or ca-file is not
// readable.
core::Result<core::AuthenticatorPtr> MakeHttpsGetAuthenticator(const HttpsGetTarget& target);

class HttpsGetAuthenticatorFactory final : public core::AuthenticatorFactory {
 public:
  // core::AuthenticatorFactory
  // host, path or port missing: logged once, and every login fails (reference behaviour).
  // Present but malformed: InvalidArgument (the configuration is refused).
  core::Result<core::AuthenticatorPtr> Create(const core::BrokerConfig& config) const override;
};

}  // namespace x2gobroker::backends::auth_https_get
