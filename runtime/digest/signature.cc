#include "runtime/digest/signature.h"

#include <nettle/base64.h>
#include <nettle/eddsa.h>
#include <string.h>  // explicit_bzero
#include <sys/stat.h>

#include <algorithm>

#include "runtime/diag/diagnostic.h"
#include "runtime/digest/digest.h"

namespace doudi {
namespace {

using Key = std::array<uint8_t, 32>;
static_assert(ED25519_KEY_SIZE == 32 && ED25519_SIGNATURE_SIZE == 64);

// RFC 8410's DER for an Ed25519 key (sections 4 and 7) as OpenSSL writes it,
// the same bytes before every key. PKCS#8 (v1, without the optional
// attributes and public key): SEQUENCE { INTEGER 0, SEQUENCE { OID
// 1.3.101.112 }, OCTET STRING { OCTET STRING (32 bytes) } };
// SubjectPublicKeyInfo: SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING
// (0 unused bits, 32 bytes) }. `doudi keygen` and `openssl genpkey
// -algorithm ed25519` write these; a key file in another form is refused.
constexpr std::string_view kPrivatePrefix("\x30\x2e\x02\x01\x00\x30\x05\x06\x03\x2b\x65\x70\x04\x22\x04\x20", 16);
constexpr std::string_view kPublicPrefix("\x30\x2a\x30\x05\x06\x03\x2b\x65\x70\x03\x21\x00", 12);
constexpr std::string_view kPrivateLabel = "PRIVATE KEY";
constexpr std::string_view kPublicLabel = "PUBLIC KEY";

std::string key_id_of(const Key& public_key) {
  return sha256_hex(std::string_view(reinterpret_cast<const char*>(public_key.data()), public_key.size())).substr(0, 16);
}

// A PEM block: the DER's base64 in lines of 64 characters between its labels.
std::string pem_of(std::string_view label, std::string_view prefix, const Key& key) {
  std::string der(prefix);
  der.append(reinterpret_cast<const char*>(key.data()), key.size());
  std::string base64(BASE64_ENCODE_RAW_LENGTH(der.size()), '\0');
  base64_encode_raw(base64.data(), der.size(), reinterpret_cast<const uint8_t*>(der.data()));
  std::string out = "-----BEGIN " + std::string(label) + "-----\n";
  for (size_t at = 0; at < base64.size(); at += 64) out += base64.substr(at, 64) + "\n";
  return out + "-----END " + std::string(label) + "-----\n";
}

// The DER inside the first PEM block labelled `label`, or none if there is
// no such block or its base64 is broken.
std::optional<std::string> der_of(std::string_view pem, std::string_view label) {
  const std::string begin = "-----BEGIN " + std::string(label) + "-----";
  const std::string end = "-----END " + std::string(label) + "-----";
  const size_t from = pem.find(begin);
  if (from == std::string_view::npos) return std::nullopt;
  const size_t body = from + begin.size();
  const size_t to = pem.find(end, body);
  if (to == std::string_view::npos) return std::nullopt;
  const std::string_view text = pem.substr(body, to - body);  // Nettle's decoder skips the line breaks
  std::string der(BASE64_DECODE_LENGTH(text.size()), '\0');
  base64_decode_ctx ctx;
  base64_decode_init(&ctx);
  size_t length = der.size();
  if (!base64_decode_update(&ctx, &length, reinterpret_cast<uint8_t*>(der.data()), text.size(), text.data()) ||
      !base64_decode_final(&ctx))
    return std::nullopt;
  der.resize(length);
  return der;
}

// Whether the text holds a PEM block of a key in another kind's own form:
// "RSA PRIVATE KEY", "EC PRIVATE KEY" (`kind` " PRIVATE KEY"), and so on.
bool other_kind_of_key(std::string_view pem, std::string_view kind) {
  constexpr std::string_view kBegin = "-----BEGIN ";
  for (size_t at = pem.find(kBegin); at != std::string_view::npos; at = pem.find(kBegin, at + 1)) {
    const size_t from = at + kBegin.size();
    const size_t to = pem.find("-----", from);
    if (to == std::string_view::npos) return false;
    const std::string_view label = pem.substr(from, to - from);
    if (label.size() > kind.size() && label.substr(label.size() - kind.size()) == kind && label != "ENCRYPTED PRIVATE KEY")
      return true;
  }
  return false;
}

// The Ed25519 key in a PEM file: none with `error` if the file holds no such
// PEM block, or one of another kind of key.
std::optional<Key> read_pem(std::string_view pem, bool with_private, std::string& error) {
  auto der = der_of(pem, with_private ? kPrivateLabel : kPublicLabel);
  if (!der && with_private && pem.find("-----BEGIN ENCRYPTED PRIVATE KEY-----") != std::string_view::npos) {
    error = bilingual("私钥已加密；doudi 需要未加密的私钥（openssl pkey -in 原文件 -out 新文件）",
                      "an encrypted private key; doudi needs it unencrypted (openssl pkey -in FILE -out NEW)");
    return std::nullopt;
  }
  if (!der && other_kind_of_key(pem, with_private ? " PRIVATE KEY" : " PUBLIC KEY")) {
    error = bilingual("不是 Ed25519 密钥", "not an Ed25519 key");
    return std::nullopt;
  }
  if (!der) {
    error = with_private ? bilingual("不是 PEM 格式的私钥（用 doudi keygen 生成）", "not a private key in PEM form (make one with doudi keygen)")
                         : bilingual("不是 PEM 格式的公钥（doudi keygen 生成的 .pub 文件）", "not a public key in PEM form (the .pub file doudi keygen writes)");
    return std::nullopt;
  }
  const std::string_view prefix = with_private ? kPrivatePrefix : kPublicPrefix;
  if (der->size() != prefix.size() + 32 || der->compare(0, prefix.size(), prefix) != 0) {
    error = bilingual("不是 Ed25519 密钥", "not an Ed25519 key");
    return std::nullopt;
  }
  Key key;
  std::copy(der->begin() + static_cast<std::ptrdiff_t>(prefix.size()), der->end(), key.begin());
  explicit_bzero(der->data(), der->size());  // a private key's copy
  return key;
}

Key public_key_of(const Key& seed) {
  Key public_key;
  ed25519_sha512_public_key(public_key.data(), seed.data());
  return public_key;
}

}  // namespace

std::optional<KeyPairPem> generate_signing_key() {
  // RFC 8032's private key is 32 random bytes.
  auto random = random_bytes(32);
  if (!random) return std::nullopt;
  Key seed;
  std::copy(random->begin(), random->end(), seed.begin());
  explicit_bzero(random->data(), random->size());
  const Key public_key = public_key_of(seed);
  KeyPairPem pair{pem_of(kPrivateLabel, kPrivatePrefix, seed), pem_of(kPublicLabel, kPublicPrefix, public_key),
                  key_id_of(public_key)};
  explicit_bzero(seed.data(), seed.size());
  return pair;
}

PublicKey::PublicKey(const Key& key) : key_(key), key_id_(key_id_of(key)) {}

SigningKey::SigningKey(const Key& seed, const Key& public_key)
    : seed_(seed), public_key_(public_key), key_id_(key_id_of(public_key)) {}

SigningKey::~SigningKey() { explicit_bzero(seed_.data(), seed_.size()); }

std::optional<PublicKey> PublicKey::from_pem(std::string_view pem, std::string& error) {
  const auto key = read_pem(pem, false, error);
  if (!key) return std::nullopt;
  return PublicKey(*key);
}

std::optional<PublicKey> PublicKey::from_raw(std::string_view bytes, std::string& error) {
  if (bytes.size() != 32) {
    error = bilingual("不是 32 字节的 Ed25519 公钥", "not a 32-byte Ed25519 public key");
    return std::nullopt;
  }
  Key key;
  std::copy(bytes.begin(), bytes.end(), key.begin());
  return PublicKey(key);
}

bool PublicKey::verifies(std::string_view message, std::string_view signature_hex) const {
  const auto signature = from_hex(signature_hex);
  if (!signature || signature->size() != ED25519_SIGNATURE_SIZE) return false;
  return ed25519_sha512_verify(key_.data(), message.size(), reinterpret_cast<const uint8_t*>(message.data()),
                               reinterpret_cast<const uint8_t*>(signature->data())) == 1;
}

std::optional<SigningKey> SigningKey::from_pem(std::string_view pem, std::string& error) {
  const auto seed = read_pem(pem, true, error);
  if (!seed) return std::nullopt;
  return SigningKey(*seed, public_key_of(*seed));
}

std::string SigningKey::sign(std::string_view message) const {
  uint8_t signature[ED25519_SIGNATURE_SIZE];
  ed25519_sha512_sign(public_key_.data(), seed_.data(), message.size(),
                      reinterpret_cast<const uint8_t*>(message.data()), signature);
  return to_hex(std::string_view(reinterpret_cast<const char*>(signature), sizeof signature));
}

bool readable_by_others(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && (st.st_mode & (S_IRGRP | S_IROTH)) != 0;
}

}  // namespace doudi
