#include "runtime/digest/digest.h"

#include <nettle/hmac.h>
#include <nettle/sha2.h>
#include <sys/random.h>

#include <cerrno>

namespace doudi {
namespace {

std::string hex(const unsigned char* bytes, size_t n) {
  std::string out;
  append_hex(out, std::string_view(reinterpret_cast<const char*>(bytes), n));
  return out;
}

const uint8_t* bytes_of(std::string_view s) { return reinterpret_cast<const uint8_t*>(s.data()); }

}  // namespace

std::optional<std::string> random_bytes(size_t bytes) {
  // getrandom(2) blocks only until the kernel's source is seeded at boot.
  std::string raw(bytes, '\0');
  for (size_t got = 0; got < bytes;) {
    const ssize_t n = ::getrandom(raw.data() + got, bytes - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return std::nullopt;
    got += static_cast<size_t>(n);
  }
  return raw;
}

std::optional<std::string> random_hex(size_t bytes) {
  const auto raw = random_bytes(bytes);
  if (!raw) return std::nullopt;
  return to_hex(*raw);
}

std::string to_hex(std::string_view bytes) {
  return hex(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}

void write_hex(char* out, std::string_view bytes) {
  static const char* const kDigits = "0123456789abcdef";
  for (const char b : bytes) {
    const auto u = static_cast<unsigned char>(b);
    *out++ = kDigits[u >> 4];
    *out++ = kDigits[u & 15];
  }
}

void append_hex(std::string& out, std::string_view bytes) {
  const size_t at = out.size();
  out.resize(at + 2 * bytes.size());
  write_hex(out.data() + at, bytes);
}

std::optional<std::string> from_hex(std::string_view text) {
  if (text.size() % 2 != 0) return std::nullopt;
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out(text.size() / 2, '\0');
  for (size_t i = 0; i < out.size(); ++i) {
    const int hi = digit(text[2 * i]), lo = digit(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<char>(hi * 16 + lo);
  }
  return out;
}

// Nettle's SHA-256 (libnettle: the SHA-NI instructions where the processor
// has them). libcrypto did this before; loading it and relocating its
// tables cost every command about 2.5 ms and 126 page faults at start
// (bench/startup_bench.sh), more than a `run` from a bundle spends deciding.
std::string sha256_bytes(std::string_view data) { return sha256_bytes({data}); }

void sha256_to(std::initializer_list<std::string_view> parts, unsigned char (&out)[32]) {
  static_assert(SHA256_DIGEST_SIZE == 32);
  sha256_ctx ctx;
  sha256_init(&ctx);
  for (const auto part : parts) sha256_update(&ctx, part.size(), bytes_of(part));
  sha256_digest(&ctx, SHA256_DIGEST_SIZE, out);
}

std::string sha256_bytes(std::initializer_list<std::string_view> parts) {
  unsigned char md[32];
  sha256_to(parts, md);
  return std::string(reinterpret_cast<const char*>(md), sizeof md);
}

Sha256Stream::Sha256Stream() : ctx_(new sha256_ctx) { sha256_init(static_cast<sha256_ctx*>(ctx_)); }

Sha256Stream::~Sha256Stream() { delete static_cast<sha256_ctx*>(ctx_); }

void Sha256Stream::update(std::string_view data) {
  sha256_update(static_cast<sha256_ctx*>(ctx_), data.size(), bytes_of(data));
}

std::string Sha256Stream::hex() {
  unsigned char md[SHA256_DIGEST_SIZE];
  sha256_digest(static_cast<sha256_ctx*>(ctx_), sizeof md, md);
  return doudi::hex(md, sizeof md);
}

std::string sha256_hex(std::string_view data) { return to_hex(sha256_bytes(data)); }

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
  hmac_sha256_ctx ctx;
  hmac_sha256_set_key(&ctx, key.size(), bytes_of(key));
  hmac_sha256_update(&ctx, data.size(), bytes_of(data));
  unsigned char out[SHA256_DIGEST_SIZE];
  hmac_sha256_digest(&ctx, sizeof out, out);
  return hex(out, sizeof out);
}

}  // namespace doudi
