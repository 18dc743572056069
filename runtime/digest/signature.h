// Ed25519 signing keys (libhogweed, Nettle's public-key half), for the
// decision log's checkpoints and for signed bundles. Keys are PEM files: the
// private key PKCS#8, the public key SubjectPublicKeyInfo, in the DER form
// OpenSSL writes (RFC 8410's, without the optional attributes and public key). A key
// is named by its key id: the first 16 hex digits of SHA-256 over the raw
// 32-byte public key, so a checkpoint says which key signed it.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace doudi {

struct KeyPairPem {
  std::string private_pem, public_pem, key_id;
};

// A fresh key pair from the system's random source; none if it gives no
// random bytes.
std::optional<KeyPairPem> generate_signing_key();

class PublicKey {
 public:
  // From PEM text; none (with `error` in both languages) if it is not an
  // Ed25519 public key.
  static std::optional<PublicKey> from_pem(std::string_view pem, std::string& error);
  // From the raw 32 bytes (RFC 8032's encoding).
  static std::optional<PublicKey> from_raw(std::string_view bytes, std::string& error);
  const std::string& key_id() const { return key_id_; }
  // Does `signature_hex` sign `message` under this key?
  bool verifies(std::string_view message, std::string_view signature_hex) const;

 private:
  explicit PublicKey(const std::array<uint8_t, 32>& key);
  std::array<uint8_t, 32> key_;  // RFC 8032's encoding
  std::string key_id_;
};

class SigningKey {
 public:
  static std::optional<SigningKey> from_pem(std::string_view pem, std::string& error);
  const std::string& key_id() const { return key_id_; }
  // The signature of `message`, 128 hex digits.
  std::string sign(std::string_view message) const;
  SigningKey(const SigningKey&) = default;
  SigningKey& operator=(const SigningKey&) = default;
  ~SigningKey();  // wipes the private key

 private:
  // The public key is derived from the seed, never taken from elsewhere:
  // signing with a mismatched one would give the private key away.
  SigningKey(const std::array<uint8_t, 32>& seed, const std::array<uint8_t, 32>& public_key);
  std::array<uint8_t, 32> seed_, public_key_;  // RFC 8032's private key and its public key
  std::string key_id_;
};

// A key file is a few dozen bytes; read_regular_file refuses one larger.
constexpr long kMaxKeyFileBytes = 4096;

// True if others than the owner may read the file: a private key or a log
// key that others can read is no longer secret.
bool readable_by_others(const std::string& path);

}  // namespace doudi
