// SPDX-License-Identifier: AGPL-3.0-or-later
#include "agent/rsa_sha2_auth.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

namespace x2gobroker::agent {
namespace {

constexpr char kAlgorithm[] = "rsa-sha2-256";

struct PkeyDeleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct BnDeleter {
  void operator()(BIGNUM* b) const { BN_free(b); }
};
struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;
using BnPtr = std::unique_ptr<BIGNUM, BnDeleter>;

void PutString(std::string* out, const std::string& s) {
  uint32_t n = static_cast<uint32_t>(s.size());
  const char len[4] = {static_cast<char>(n >> 24), static_cast<char>(n >> 16), static_cast<char>(n >> 8),
                       static_cast<char>(n)};
  out->append(len, 4);
  out->append(s);
}

// SSH mpint: big-endian, a leading zero byte when the top bit is set.
std::string Mpint(const BIGNUM* bn) {
  std::string bytes(static_cast<size_t>(BN_num_bytes(bn)), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(bytes.data()));
  if (!bytes.empty() && (static_cast<unsigned char>(bytes[0]) & 0x80) != 0) bytes.insert(bytes.begin(), '\0');
  return bytes;
}

PkeyPtr LoadRsaKey(const std::string& path) {
  std::unique_ptr<BIO, BioDeleter> bio(BIO_new_file(path.c_str(), "r"));
  if (!bio) return nullptr;
  // Empty passphrase (never prompt: the broker runs unattended).
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, const_cast<char*>("")));
  if (!key || EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA) return nullptr;
  return key;
}

// libssh2's signing callback: *abstract is the EVP_PKEY. The signature is allocated with
// malloc, which libssh2's default allocator (the only one used here) frees.
int SignRsaSha256(LIBSSH2_SESSION*, unsigned char** sig, size_t* sig_len, const unsigned char* data, size_t data_len,
                  void** abstract) {
  EVP_PKEY* key = static_cast<EVP_PKEY*>(*abstract);
  std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
  size_t raw_len = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &raw_len, data, data_len) != 1) {
    return -1;
  }
  std::string raw(raw_len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(raw.data()), &raw_len, data, data_len) != 1) return -1;
  raw.resize(raw_len);
  // The raw signature only: libssh2 wraps it as string(algorithm) string(signature) itself,
  // taking the algorithm from the public-key blob.
  *sig = static_cast<unsigned char*>(std::malloc(raw.size()));
  if (*sig == nullptr) return -1;
  std::memcpy(*sig, raw.data(), raw.size());
  *sig_len = raw.size();
  return 0;
}

}  // namespace

int UserauthRsaSha2(LIBSSH2_SESSION* session, const std::string& user, const std::string& key_file) {
  PkeyPtr key = LoadRsaKey(key_file);
  if (!key) return LIBSSH2_ERROR_FILE;
  BIGNUM* n_raw = nullptr;
  BIGNUM* e_raw = nullptr;
  EVP_PKEY_get_bn_param(key.get(), OSSL_PKEY_PARAM_RSA_N, &n_raw);
  EVP_PKEY_get_bn_param(key.get(), OSSL_PKEY_PARAM_RSA_E, &e_raw);
  BnPtr n(n_raw), e(e_raw);
  if (!n || !e) return LIBSSH2_ERROR_FILE;
  std::string blob;
  PutString(&blob, kAlgorithm);
  PutString(&blob, Mpint(e.get()));
  PutString(&blob, Mpint(n.get()));
  // libssh2 keeps the request state in the session across EAGAIN returns and calls the signer
  // once; the key only has to live for this call.
  void* abstract = key.get();
  return libssh2_userauth_publickey(session, user.c_str(), reinterpret_cast<const unsigned char*>(blob.data()),
                                    blob.size(), SignRsaSha256, &abstract);
}

}  // namespace x2gobroker::agent
