// SHA-256 and HMAC-SHA-256 (libcrypto), as lowercase hex. Used for rule
// bundle digests, record digests, the decision log's hash chain and the keyed
// hashes that stand in for personal data in the log.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace doudi {

std::string sha256_hex(std::string_view data);
// The raw 32 bytes of SHA-256.
std::string sha256_bytes(std::string_view data);
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

// Bytes as lowercase hex, and back; from_hex is none for anything but an
// even number of hex digits.
std::string to_hex(std::string_view bytes);
std::optional<std::string> from_hex(std::string_view hex);

}  // namespace doudi
