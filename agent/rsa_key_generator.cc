// SPDX-License-Identifier: AGPL-3.0-or-later
#include "agent/rsa_key_generator.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <memory>
#include <vector>

#include "core/base64.h"

namespace x2gobroker::agent {
namespace {

// 2048 bits: what the reference generates and what every X2Go Client accepts.
constexpr unsigned kRsaBits = 2048;

struct PkeyDeleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct BnDeleter {
  void operator()(BIGNUM* n) const { BN_clear_free(n); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;
using BioPtr = std::unique_ptr<BIO, BioDeleter>;
using BnPtr = std::unique_ptr<BIGNUM, BnDeleter>;

void AppendU32(uint32_t v, std::string* out) {
  for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<char>((v >> shift) & 0xff));
}

void AppendString(std::string_view s, std::string* out) {
  AppendU32(static_cast<uint32_t>(s.size()), out);
  out->append(s);
}

// RFC 4251 mpint: big-endian, with a leading zero byte when the high bit is set (positive).
void AppendMpint(const BIGNUM& n, std::string* out) {
  std::vector<unsigned char> bytes(static_cast<size_t>(BN_num_bytes(&n)));
  BN_bn2bin(&n, bytes.data());
  std::string value;
  if (!bytes.empty() && (bytes[0] & 0x80) != 0) value.push_back('\0');
  value.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  AppendString(value, out);
}

core::Result<BnPtr> RsaParam(const EVP_PKEY& key, const char* name) {
  BIGNUM* n = nullptr;
  if (EVP_PKEY_get_bn_param(&key, name, &n) != 1) return core::Internal(std::string("RSA key without ") + name);
  return BnPtr(n);
}

}  // namespace

core::Result<core::GeneratedKeyPair> RsaKeyGenerator::Generate() const {
  PkeyPtr key(EVP_RSA_gen(kRsaBits));
  if (!key) return core::Internal("RSA key generation failed");

  BioPtr bio(BIO_new(BIO_s_secmem()));
  if (!bio || PEM_write_bio_PrivateKey_traditional(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return core::Internal("cannot write the RSA private key as PEM");
  }
  char* pem = nullptr;
  long pem_size = BIO_get_mem_data(bio.get(), &pem);
  if (pem_size <= 0) return core::Internal("empty PEM");

  core::Result<BnPtr> n = RsaParam(*key, OSSL_PKEY_PARAM_RSA_N);
  core::Result<BnPtr> e = RsaParam(*key, OSSL_PKEY_PARAM_RSA_E);
  if (!n.ok()) return n.status();
  if (!e.ok()) return e.status();
  std::string blob;
  AppendString("ssh-rsa", &blob);
  AppendMpint(**e, &blob);
  AppendMpint(**n, &blob);

  core::GeneratedKeyPair pair;
  pair.private_pem = core::SecretString(std::string_view(pem, static_cast<size_t>(pem_size)));
  pair.public_type = "ssh-rsa";
  pair.public_blob_base64 = core::Base64Encode(blob);
  return pair;
}

}  // namespace x2gobroker::agent
