// A signed checkpoint: the log operator's signature over the size of the
// log and the Merkle root of its first `size` entries. It carries no clock
// time, so the same batch gives the same log. Checkpoints are lines of the
// log itself, outside the hash chain; an auditor keeps a copy of one (a
// single printable line) and can later prove that today's log still begins
// with what it signed.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/digest/signature.h"

namespace doudi {

struct Checkpoint {
  uint64_t size = 0;
  std::string root;       // 64 hex digits
  std::string key_id;     // 16 hex digits
  std::string signature;  // 128 hex digits, Ed25519 over checkpoint_message(size, root)
};

// What is signed: "doudi checkpoint v1\n<size>\n<root>\n".
std::string checkpoint_message(uint64_t size, const std::string& root_hex);

Checkpoint sign_checkpoint(const SigningKey& key, uint64_t size, const std::string& root_hex);

// Does the checkpoint carry a valid signature by `key`?
bool checkpoint_signed_by(const Checkpoint& c, const PublicKey& key);

// {"checkpoint":{"size":N,"root":"…","key":"…","signature":"…"}}: the line in
// the log, and the file an auditor keeps.
std::string checkpoint_line(const Checkpoint& c);
bool is_checkpoint_line(std::string_view line);
// None, with `error` in both languages, unless `text` (one line; a trailing
// newline allowed) is a well-formed checkpoint.
std::optional<Checkpoint> parse_checkpoint(std::string_view text, std::string& error);

}  // namespace doudi
