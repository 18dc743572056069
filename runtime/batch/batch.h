// Deciding every record of a JSONL text into the decision log: one bad record
// is logged as rejected and never stops the others; an interrupted batch
// resumes after the last record it logged.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "doudi/engine.h"
#include "runtime/log/decision_log.h"
#include "runtime/log/log_entry.h"

namespace doudi {

struct BatchSettings {
  std::string bundle_signer;        // the trusted key that signed the rules, or empty
  std::optional<LogKey> key;        // keys the digests and sensitive fields (load_log_key)
  std::string batch;               // batch_id(...)
  int64_t done = -1;               // records up to this line index were logged before (resume)
};

struct BatchReport {
  size_t in = 0;       // records (non-blank lines)
  size_t decided = 0;  // decided now
  size_t errors = 0;   // of those, decisions that ended in an error
  size_t rejected = 0;
  size_t skipped = 0;  // logged before resuming
};

// Called (if set) for each rejected record with its 0-based line index.
using OnRejected = std::function<void(int64_t line, std::string_view text, const std::vector<RecordProblem>& problems)>;

// Throws std::runtime_error when the log cannot be written.
BatchReport decide_batch(const RuleSet& rules, const DecisionContext& context, std::string_view input,
                         DecisionLog& log, const BatchSettings& settings, const OnRejected& on_rejected);

}  // namespace doudi
