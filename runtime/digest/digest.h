// SHA-256 and HMAC-SHA-256 (libnettle), as lowercase hex. Used for rule
// bundle digests, record digests, the decision log's hash chain and the keyed
// hashes that stand in for personal data in the log.
#pragma once
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace doudi {

std::string sha256_hex(std::string_view data);
// The raw 32 bytes of SHA-256.
std::string sha256_bytes(std::string_view data);
// SHA-256 of the parts one after the other, without joining them first.
std::string sha256_bytes(std::initializer_list<std::string_view> parts);
// The same into `out`, allocating nothing (per-record hashes in a batch).
void sha256_to(std::initializer_list<std::string_view> parts, unsigned char (&out)[32]);
// SHA-256 over data given piece by piece (a file read in blocks).
class Sha256Stream {
 public:
  Sha256Stream();
  ~Sha256Stream();
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;
  void update(std::string_view data);
  std::string hex();  // once, at the end

 private:
  void* ctx_;  // nettle's sha256_ctx
};

std::string hmac_sha256_hex(std::string_view key, std::string_view data);

// Bytes as lowercase hex, and back; from_hex is none for anything but an
// even number of hex digits.
std::string to_hex(std::string_view bytes);

// `bytes` bytes from the system's random source (the kernel's, getrandom(2)),
// raw or as hex; nullopt if it fails.
std::optional<std::string> random_bytes(size_t bytes);
std::optional<std::string> random_hex(size_t bytes);
void append_hex(std::string& out, std::string_view bytes);
// The same over the 2 × bytes.size() chars at `out` (a hash filled in
// where its place was kept).
void write_hex(char* out, std::string_view bytes);
std::optional<std::string> from_hex(std::string_view hex);

}  // namespace doudi
