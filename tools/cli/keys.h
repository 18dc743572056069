// The keys the commands take from files: a signing key for the log's
// checkpoints (--signing-key), a public key to verify them (--public-key).
// Each reports E4005 and returns none when the file is not a key.
#pragma once
#include <optional>
#include <string>

#include "runtime/digest/signature.h"
#include "tools/cli/commands.h"

namespace doudi::cli {

// Warns (W4006) when others can read the file.
std::optional<SigningKey> signing_key_or_report(const Common& c, const std::string& path);
std::optional<PublicKey> public_key_or_report(const Common& c, const std::string& path);

}  // namespace doudi::cli
