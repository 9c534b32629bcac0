// SPDX-License-Identifier: AGPL-3.0-or-later
// RSA public-key authentication with SHA-2 signatures (rsa-sha2-256, RFC 8332) on top of
// libssh2 1.10, which only signs RSA with SHA-1 ("ssh-rsa"): OpenSSH 8.8 and later refuse that
// by default ("signature algorithm ssh-rsa not in PubkeyAcceptedAlgorithms"), so an RSA broker
// key (what x2gobroker-keygen makes) would fail against every current server. libssh2 takes the
// request's algorithm name from the first string of the public-key blob, so the blob is sent
// with the name "rsa-sha2-256" (OpenSSH parses it as the same RSA key) and signed by OpenSSL.
// Drop this file once libssh2 >= 1.11 (native rsa-sha2 user auth) is the oldest supported.
#pragma once

#include <libssh2.h>

#include <string>

namespace x2gobroker::agent {

// Authenticates `user` with the RSA private key in `key_file` (PEM: traditional or PKCS#8,
// unencrypted). Returns 0 on success, LIBSSH2_ERROR_EAGAIN to be called again (non-blocking
// session), LIBSSH2_ERROR_FILE if OpenSSL cannot read the file as an RSA key (the caller falls
// back to libssh2's own reader), or another libssh2 error.
int UserauthRsaSha2(LIBSSH2_SESSION* session, const std::string& user, const std::string& key_file);

}  // namespace x2gobroker::agent
