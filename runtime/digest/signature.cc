#include "runtime/digest/signature.h"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>

#include <stdexcept>

#include "runtime/diag/diagnostic.h"
#include "runtime/digest/digest.h"

namespace doudi {
namespace {

std::shared_ptr<void> own(EVP_PKEY* key) {
  return std::shared_ptr<void>(key, [](void* p) { EVP_PKEY_free(static_cast<EVP_PKEY*>(p)); });
}

EVP_PKEY* raw(const std::shared_ptr<void>& key) { return static_cast<EVP_PKEY*>(key.get()); }

std::string key_id_of(EVP_PKEY* key) {
  unsigned char pub[32];
  size_t len = sizeof pub;
  if (EVP_PKEY_get_raw_public_key(key, pub, &len) != 1 || len != sizeof pub)
    throw std::runtime_error("cannot read an Ed25519 public key");
  return sha256_hex(std::string_view(reinterpret_cast<const char*>(pub), len)).substr(0, 16);
}

std::string pem_of(EVP_PKEY* key, bool with_private) {
  BIO* bio = BIO_new(BIO_s_mem());
  const int ok = with_private ? PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr)
                              : PEM_write_bio_PUBKEY(bio, key);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  std::string out = ok == 1 && n > 0 ? std::string(data, static_cast<size_t>(n)) : std::string();
  BIO_free(bio);
  if (out.empty()) throw std::runtime_error("cannot write a key as PEM");
  return out;
}

// An Ed25519 key from PEM (private or public); null with `error` otherwise.
EVP_PKEY* read_pem(std::string_view pem, bool with_private, std::string& error) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* key = with_private ? PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr)
                               : PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (key == nullptr) {
    error = with_private ? bilingual("不是 PEM 格式的私钥（用 doudi keygen 生成）", "not a private key in PEM form (make one with doudi keygen)")
                         : bilingual("不是 PEM 格式的公钥（doudi keygen 生成的 .pub 文件）", "not a public key in PEM form (the .pub file doudi keygen writes)");
    return nullptr;
  }
  if (EVP_PKEY_get_id(key) != EVP_PKEY_ED25519) {
    EVP_PKEY_free(key);
    error = bilingual("不是 Ed25519 密钥", "not an Ed25519 key");
    return nullptr;
  }
  return key;
}

}  // namespace

KeyPairPem generate_signing_key() {
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr);
  EVP_PKEY* key = nullptr;
  const bool ok = ctx != nullptr && EVP_PKEY_keygen_init(ctx) == 1 && EVP_PKEY_keygen(ctx, &key) == 1;
  EVP_PKEY_CTX_free(ctx);
  if (!ok) throw std::runtime_error("cannot generate an Ed25519 key");
  auto owned = own(key);
  return KeyPairPem{pem_of(key, true), pem_of(key, false), key_id_of(key)};
}

PublicKey::PublicKey(void* key) : key_(own(static_cast<EVP_PKEY*>(key))), key_id_(key_id_of(static_cast<EVP_PKEY*>(key))) {}

SigningKey::SigningKey(void* key) : key_(own(static_cast<EVP_PKEY*>(key))), key_id_(key_id_of(static_cast<EVP_PKEY*>(key))) {}

std::optional<PublicKey> PublicKey::from_pem(std::string_view pem, std::string& error) {
  EVP_PKEY* key = read_pem(pem, false, error);
  if (key == nullptr) return std::nullopt;
  return PublicKey(key);
}

std::optional<PublicKey> PublicKey::from_raw(std::string_view bytes, std::string& error) {
  EVP_PKEY* key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                              reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  if (key == nullptr) {
    error = bilingual("不是 32 字节的 Ed25519 公钥", "not a 32-byte Ed25519 public key");
    return std::nullopt;
  }
  return PublicKey(key);
}

bool PublicKey::verifies(std::string_view message, std::string_view signature_hex) const {
  const auto signature = from_hex(signature_hex);
  if (!signature || signature->size() != 64) return false;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok = ctx != nullptr && EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, raw(key_)) == 1 &&
                  EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(signature->data()), signature->size(),
                                   reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

std::optional<SigningKey> SigningKey::from_pem(std::string_view pem, std::string& error) {
  EVP_PKEY* key = read_pem(pem, true, error);
  if (key == nullptr) return std::nullopt;
  return SigningKey(key);
}

std::string SigningKey::sign(std::string_view message) const {
  unsigned char signature[64];
  size_t len = sizeof signature;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok = ctx != nullptr && EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, raw(key_)) == 1 &&
                  EVP_DigestSign(ctx, signature, &len, reinterpret_cast<const unsigned char*>(message.data()),
                                 message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok) throw std::runtime_error("Ed25519 signing failed");
  return to_hex(std::string_view(reinterpret_cast<const char*>(signature), len));
}

bool readable_by_others(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && (st.st_mode & (S_IRGRP | S_IROTH)) != 0;
}

}  // namespace doudi
