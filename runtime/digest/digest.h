// SHA-256 and HMAC-SHA-256 (libcrypto), as lowercase hex. Used for rule
// bundle digests, record digests, the decision log's hash chain and the keyed
// hashes that stand in for personal data in the log.
#pragma once
#include <string>
#include <string_view>

namespace doudi {

std::string sha256_hex(std::string_view data);
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

}  // namespace doudi
