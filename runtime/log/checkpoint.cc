#include "runtime/log/checkpoint.h"

#include <fmt/format.h>
#include <simdjson.h>

#include "runtime/diag/diagnostic.h"
#include "runtime/digest/digest.h"

namespace doudi {
namespace {

constexpr std::string_view kPrefix = "{\"checkpoint\":";

// Lowercase only: roots are compared as text.
bool is_hex(std::string_view s, size_t digits) {
  return s.size() == digits && s.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

}  // namespace

std::string checkpoint_message(uint64_t size, const std::string& root_hex) {
  return fmt::format("doudi checkpoint v1\n{}\n{}\n", size, root_hex);
}

Checkpoint sign_checkpoint(const SigningKey& key, uint64_t size, const std::string& root_hex) {
  return Checkpoint{size, root_hex, key.key_id(), key.sign(checkpoint_message(size, root_hex))};
}

bool checkpoint_signed_by(const Checkpoint& c, const PublicKey& key) {
  return c.key_id == key.key_id() && key.verifies(checkpoint_message(c.size, c.root), c.signature);
}

std::string checkpoint_line(const Checkpoint& c) {
  return fmt::format("{}{{\"size\":{},\"root\":\"{}\",\"key\":\"{}\",\"signature\":\"{}\"}}}}", kPrefix, c.size, c.root,
                     c.key_id, c.signature);
}

bool is_checkpoint_line(std::string_view line) { return line.substr(0, kPrefix.size()) == kPrefix; }

std::optional<Checkpoint> parse_checkpoint(std::string_view text, std::string& error) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  error = bilingual("不是检查点（应为 doudi log checkpoint 打印的一行）", "not a checkpoint (expected the one line doudi log checkpoint prints)");
  if (!is_checkpoint_line(text) || text.find('\n') != std::string_view::npos) return std::nullopt;
  simdjson::dom::parser parser;
  simdjson::dom::element e;
  if (parser.parse(text.data(), text.size()).get(e) != simdjson::SUCCESS) return std::nullopt;
  Checkpoint c;
  int64_t size = 0;
  std::string_view root, key, signature;
  const auto body = e["checkpoint"];
  if (body["size"].get_int64().get(size) != simdjson::SUCCESS || size < 0 ||
      body["root"].get_string().get(root) != simdjson::SUCCESS ||
      body["key"].get_string().get(key) != simdjson::SUCCESS ||
      body["signature"].get_string().get(signature) != simdjson::SUCCESS || !is_hex(root, 64) || !is_hex(key, 16) ||
      !is_hex(signature, 128))
    return std::nullopt;
  c.size = static_cast<uint64_t>(size);
  c.root = std::string(root);
  c.key_id = std::string(key);
  c.signature = std::string(signature);
  // One spelling only: what was parsed must be what is written, byte for byte.
  if (checkpoint_line(c) != text) return std::nullopt;
  error.clear();
  return c;
}

}  // namespace doudi
