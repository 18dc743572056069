// Turning a decision (or a rejected record) into a decision-log entry.
#pragma once
#include <optional>
#include <string>

#include "runtime/interp/interpreter.h"
#include "runtime/log/decision_log.h"
#include "runtime/record/record_loader.h"
#include "tools/cli/commands.h"

namespace doudi::cli {

// The key for hashing sensitive fields: --key-file, else DOUDI_LOG_KEY.
// Reports E4002 and returns false when the schema needs one and none is given.
bool log_key(const Common& c, const ir::Module& m, const std::string& key_file, std::optional<std::string>& key);

std::string batch_id(const std::string& bundle, const std::string& month, const std::string& jurisdiction,
                     const std::string& input_digest);

LogFields decided_entry(const ir::Module& m, const RecordData& record, const Decision& d,
                        const std::optional<std::string>& key);

LogFields rejected_entry(const std::vector<RecordProblem>& problems, const std::string& raw);

}  // namespace doudi::cli
