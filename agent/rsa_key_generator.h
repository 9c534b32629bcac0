// SPDX-License-Identifier: AGPL-3.0-or-later
// RsaKeyGenerator: RSA-2048 key pairs for session autologin (PROTOCOL.md §10.4), made with
// OpenSSL. The private key is written in the traditional PEM form ("BEGIN RSA PRIVATE KEY"),
// the only form X2Go Client 4.1.2.2 reads; the public key as an OpenSSH ssh-rsa blob.
// Thread-safe (OpenSSL 3's key generation is).
#pragma once

#include "core/agent_services.h"

namespace x2gobroker::agent {

class RsaKeyGenerator final : public core::KeyPairGenerator {
 public:
  // core::KeyPairGenerator
  core::Result<core::GeneratedKeyPair> Generate() const override;
};

}  // namespace x2gobroker::agent
