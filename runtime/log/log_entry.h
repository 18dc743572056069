// Turning a decision (or a rejected record) into a decision-log entry, and
// the key that hashes sensitive fields.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "runtime/diag/diagnostic.h"
#include "runtime/interp/interpreter.h"
#include "runtime/log/decision_log.h"
#include "runtime/record/record_loader.h"

namespace doudi {

// The key for hashing sensitive fields: the file `key_file` if given, else
// $DOUDI_LOG_KEY; trailing newlines and spaces are not part of it. Appends
// E0007 (unreadable file) or E4002 (the schema has sensitive fields and no
// key is given) and returns false.
bool load_log_key(const ir::Module& m, const std::string& key_file, std::optional<std::string>& key,
                  std::vector<Diagnostic>& errors);

// Identifies a batch: rule bundle, month, jurisdiction and input digest.
std::string batch_id(const std::string& bundle, const std::string& month, const std::string& jurisdiction,
                     const std::string& input_digest);

// The entry's record, outputs, flags and error; the caller fills in batch,
// index, month, jurisdiction and bundle.
LogFields decided_entry(const ir::Module& m, const RecordData& record, const Decision& d,
                        const std::optional<std::string>& key);

// A record that did not load: only the digest of the raw line and why.
LogFields rejected_entry(const std::vector<RecordProblem>& problems, std::string_view raw);

}  // namespace doudi
