// A decision log read for a command that acts on it (replay, explain,
// notice, log prove): verified first, every entry and checkpoint, with the
// signer's public key when the user gives one.
#pragma once
#include <string>

#include "runtime/log/log_reader.h"
#include "tools/cli/commands.h"

namespace doudi::cli {

// Reports E4003 (naming the entry and line) and returns false if the log
// does not verify; E4005 if `public_key_file` is not a public key.
bool read_verified_log(const Common& c, const std::string& log, const std::string& public_key_file,
                       LogContents& contents, VerifyResult& r);

// With a public key, entry `seq` must be under a signed checkpoint; reports
// E4003 and returns false if it is not.
bool covered_or_report(const Common& c, const std::string& log, const std::string& public_key_file,
                       const VerifyResult& r, uint64_t seq);

}  // namespace doudi::cli
