// The decision log: one JSON line per decision, hash-chained. Each entry's
// "hash" is SHA-256 of the entry's text without its hash field, and "prev"
// is the hash of the entry before (64 zeros for the first), so an edited,
// removed, inserted or reordered entry breaks the chain at a known place.
// Entries carry no clock time: the same batch gives the same log, whether it
// ran in one go or was killed and resumed.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace doudi {

struct LogFields {
  std::string batch;          // identifies the batch: bundle, month, jurisdiction, input file
  int64_t index = 0;          // position of the record in the batch's input
  std::string month, jurisdiction, bundle;
  std::string input_json;     // canonical record, sensitive fields hashed; "null" if rejected
  std::string input_digest;   // SHA-256 of the canonical record before hashing (or of the raw line)
  std::string outputs_json;   // {"name": value, ...} or "null"
  std::string flags_json;     // ["name", ...]
  std::string error_json;     // {"code": ..., "message": ...} or "null"
  std::string rejected_json;  // ["message", ...] or "null"
};

inline const std::string kGenesisHash(64, '0');

class DecisionLog {
 public:
  // Opens (creating if needed) for appending. A last line cut short by a
  // crash is removed when `repair` is set, else reported as an error.
  static std::optional<DecisionLog> open(const std::string& path, bool repair, std::string& error);

  // Appends one entry (one write of the whole line); returns its decision id.
  // With sync, waits until it is on disk. Throws std::runtime_error on I/O failure.
  std::string append(const LogFields& f, bool sync = true);
  void sync();

  uint64_t entries() const { return seq_; }

  // The log owns its file descriptor: moved, never copied; closed at the end.
  DecisionLog(DecisionLog&& other) noexcept;
  DecisionLog& operator=(DecisionLog&& other) noexcept;
  DecisionLog(const DecisionLog&) = delete;
  DecisionLog& operator=(const DecisionLog&) = delete;
  ~DecisionLog();
  // Highest input index already logged for `batch`, or -1.
  int64_t last_index(const std::string& batch) const;
  // What the log held for `batch` when it was opened: a resumed batch's
  // summary counts the records decided and rejected before it resumed.
  struct Logged {
    uint64_t decided = 0, errors = 0, rejected = 0;
  };
  Logged logged(const std::string& batch) const;

 private:
  DecisionLog() = default;
  std::string path_;
  int fd_ = -1;
  uint64_t seq_ = 0;
  std::string last_hash_ = kGenesisHash;
  std::vector<std::pair<std::string, int64_t>> batches_;
  std::vector<std::pair<std::string, Logged>> logged_;  // per batch, as opened
};

struct VerifyResult {
  bool ok = true;
  uint64_t entries = 0;
  std::string head;        // hash of the last good entry
  uint64_t bad_entry = 0;  // 1-based line number of the first bad entry
  std::string reason;
};

VerifyResult verify_log(const std::string& path);

// One parsed entry, for replay and explain.
struct LogEntry {
  uint64_t seq = 0;
  std::string id, batch, month, jurisdiction, bundle, input_json, input_digest, outputs_json, flags_json, error_code;
  int64_t index = 0;
  bool rejected = false;
};

// Reads every complete entry (without verifying the chain).
bool read_log(const std::string& path, std::vector<LogEntry>& out, std::string& error);

}  // namespace doudi
