// Reading a decision log: every line checked before any is used. A line
// must carry every field its kind has (runtime/log/log_format.h), its hash
// must follow from its text and the line before, its seq its place and a
// format 2 decision's id the one its batch, index and seq give (a later
// one's follows from its line and its context line's, log_format.h); a
// checkpoint line must
// follow the line it counts to and sign the Merkle root of the lines so far.
// Logs of format 1 (every field in every entry, "prev" written out) are read
// and verified by their own rules. `replay`, `explain`, `notice`, resuming a batch and
// `verify-log` all read through here, so none acts on a log that does not hold.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/digest/signature.h"
#include "runtime/log/checkpoint.h"
#include "runtime/log/log_format.h"
#include "runtime/log/merkle.h"

namespace doudi {

// One decision as read back, with its batch's context filled in.
struct LogEntry {
  uint64_t seq = 0;  // its line's number in the chain
  uint64_t context_seq = 0;  // its context line's (0 in a format 1 log, which has none)
  std::string id, batch, month, jurisdiction, bundle, input_json, input_digest, outputs_json, flags_json, error_code;
  std::string error_at;  // the error's place in the rules as logged (error_place), empty if none
  std::string bundle_signer;  // the trusted key that signed the bundle, empty if none was required
  std::string key_id;  // the log key's id, empty if the entry was made without one
  // The schema defaults of the fields input_json leaves out (formats 2 to 4), shared
  // by the entries of a batch; load the input with them (load_record_json).
  std::shared_ptr<const std::string> defaults;
  int64_t index = 0;
  bool rejected = false;
  // A rejected record's problems as logged: code, and the message in each
  // language.
  struct Rejection {
    std::string code, zh, en;
  };
  std::vector<Rejection> rejections;
};

// A rejected record's problems in both languages, as a message says them:
// "E2003 `$` is missing required field `id`; E2007 …".
std::string rejection_reasons(const LogEntry& e);

// "Entries" below are the chained lines (contexts and decisions): what seq
// numbers, checkpoints count and the Merkle tree has as leaves.
struct VerifyResult {
  bool ok = true;
  int format = kLogFormat;  // 1, or its last context line's (2 to 4); an empty log is the current format
  uint64_t entries = 0;    // good entries, in order
  uint64_t decisions = 0;  // of those, decisions (and rejected records)
  uint64_t batches = 0;    // context lines (formats 2 to 4)
  std::string head;        // hash of the last good entry
  std::optional<LogContext> context;  // the last context line (formats 2 to 4)
  uint64_t context_seq = 0;           // its seq
  merkle::Hash context_leaf;          // and its leaf (a format 3 decision's id needs it)
  uint64_t bad_entry = 0;  // the first entry that is bad (or, for a checkpoint that fails, the first it may concern)
  uint64_t bad_line = 0;   // its line in the file
  std::string reason;      // both languages
  uint64_t checkpoints = 0;
  std::optional<Checkpoint> last_checkpoint;  // the last checkpoint that holds
  // Entries under the last checkpoint that holds.
  uint64_t covered() const { return last_checkpoint ? last_checkpoint->size : 0; }
  merkle::Frontier frontier;        // over the good entries
};

// What a reader may keep besides the verdict.
struct LogContents {
  bool keep_entries = true;
  bool keep_leaves = false;            // for consistency and inclusion proofs (32 bytes an entry)
  bool keep_lines = false;             // for inclusion proofs (the whole log again)
  std::vector<LogEntry> entries;       // the decisions
  std::function<void(const LogEntry&)> on_entry;  // called for each decision, kept or not
  std::vector<std::string> lines;      // each entry's line as written, by seq - 1
  std::vector<merkle::Hash> leaves;    // each entry's Merkle leaf hash, by seq - 1
};

// Verifies the log at `path`. With `key`, every checkpoint's signature must
// be by that key. With `contents`, fills it as it goes.
VerifyResult verify_log(const std::string& path, const PublicKey* key = nullptr, LogContents* contents = nullptr);
// The same over the log's text, already read.
VerifyResult verify_log_text(std::string_view text, const PublicKey* key = nullptr, LogContents* contents = nullptr);

// The head of a log kept elsewhere (a database table holding its lines):
// what appending needs, read from its last line and the last context line
// without reading the rest. Only the lines' form is checked here; verifying
// an export of the whole log (verify_log) checks the chain.
struct ChainHead {
  uint64_t seq = 0;                   // the last line's (0: an empty log)
  merkle::Hash hash = genesis_hash(); // the last line's
  std::optional<LogContext> context;  // the last context line's
  uint64_t context_seq = 0;
  merkle::Hash context_leaf;
};
// `last_line` empty for an empty log; otherwise `context_line` is the last
// context line (the last line itself, if it is one). None, with why (both
// languages), if they are not lines of a log of this format.
std::optional<ChainHead> read_chain_head(std::string_view last_line, std::string_view context_line, std::string& why);

// Why a log that did not verify failed, naming the entry and line (both
// languages): "the log does not verify at entry N (line L): …".
std::string verify_failure(const VerifyResult& r);

// Verifies and reads every entry; false with `error` (both languages,
// naming the entry) if the log does not verify.
bool read_log(const std::string& path, std::vector<LogEntry>& out, std::string& error,
              const PublicKey* key = nullptr);

// One decision of a format 2, 3 or 4 log read from its line and its context line,
// without the chain: for a writer that indexes its own log (the service
// answering GET /v1/decisions/{id}). The lines' fields and the decision id
// are checked, the hashes are not: verify_log checks the whole log.
std::optional<LogEntry> read_logged_decision(std::string_view context_line, std::string_view decision_line);

// The log's text; `exists` false for a missing file and for anything but a
// regular file (a device would be read without end, a pipe would block).
std::string read_log_text(const std::string& path, bool& exists);

}  // namespace doudi
