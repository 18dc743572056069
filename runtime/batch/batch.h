// Deciding every record of a JSON Lines input into the decision log: one
// bad record is logged as rejected and never stops the others; an
// interrupted batch resumes after the last record it logged.
//
// The input is read in chunks of whole lines (bounded memory whatever its
// size); worker threads load, decide and build each chunk's log lines,
// hashing them; the calling thread chains them into the log in input order,
// so the log is the same whatever the number of threads.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "doudi/engine.h"
#include "runtime/batch/line_chunks.h"
#include "runtime/batch/record_input.h"
#include "runtime/log/decision_log.h"
#include "runtime/log/log_entry.h"

namespace doudi {

// The most a batch holds of lines decided before its context is known
// (BatchSettings::context_known), counting the storage they and their
// rejections take, checked before each chunk is held (one chunk may pass
// it). While one core hashes a million households, another decides 10–14
// MiB of the benchmark rule's lines (5–34 MiB of Huining's); larger inputs,
// whose digest takes longer, are bounded.
inline constexpr size_t kHeldLineBytes = 32u << 20;

struct BatchSettings {
  LogContext context;              // batch id, month, jurisdiction, bundle, signer, key id
  // When set, `context` is not known yet (its batch id waits for the
  // input's digest, RecordInput): the records are decided meanwhile, and
  // this is called on the calling thread before the batch's first line is
  // written, which is then a new context line whatever the log's last one
  // was. It may throw, to stop the batch before anything is written.
  std::function<LogContext()> context_to_come;
  // When set with context_to_come: whether context_to_come would return
  // without waiting (RecordInput::digest_ready). Until it does, all
  // threads but one decide ahead, a core left to what the context waits
  // for, and the lines decided are held, up to max_held_bytes, their input
  // read into again at once. (With one thread or one core there is no core
  // to spare: nothing is held.)
  std::function<bool()> context_known;
  size_t max_held_bytes = kHeldLineBytes;
  std::optional<LogKey> key;       // keys the digests and sensitive fields (load_log_key)
  int64_t done = -1;               // records up to this line index were logged before (resume)
  unsigned threads = 0;            // deciding threads; 0: one per core
  size_t chunk_bytes = 1u << 20;   // input read at a time, per chunk
  EngineKind engine = EngineKind::Interpreter;  // every engine logs the same bytes
};

// The decisions of one error code in a batch: how many, and the 0-based
// line index of the first (its record's first line, for CSV).
struct ErrorTally {
  size_t count = 0;
  int64_t first_line = -1;
};

struct BatchReport {
  size_t in = 0;       // records (non-blank lines)
  size_t decided = 0;  // decided now
  size_t errors = 0;   // of those, decisions that ended in an error
  size_t rejected = 0;
  size_t skipped = 0;  // logged before resuming
  std::map<DiagCode, ErrorTally> error_codes;  // the errors by code (decided now)
};

// Called (if set) on the calling thread, in input order, for each rejected
// record with its 0-based line index.
using OnRejected = std::function<void(int64_t line, std::string_view text, const std::vector<RecordProblem>& problems)>;
// Called (if set) on the calling thread after each chunk is logged: records
// so far (this run) and input bytes read.
using OnProgress = std::function<void(const BatchReport& so_far, uint64_t bytes_read)>;

// Throws std::runtime_error when the input cannot be read or the log written.
// JSON Lines from `input`:
BatchReport decide_batch(const std::shared_ptr<const RuleSet>& rules, const DecisionContext& context,
                         const RecordInput& input,
                         DecisionLog& log, const BatchSettings& settings, const OnRejected& on_rejected,
                         const OnProgress& on_progress = {});
// Records from any source (CsvRecords for CSV):
BatchReport decide_batch(const std::shared_ptr<const RuleSet>& rules, const DecisionContext& context,
                         RecordSource& source,
                         DecisionLog& log, const BatchSettings& settings, const OnRejected& on_rejected,
                         const OnProgress& on_progress = {});

}  // namespace doudi
