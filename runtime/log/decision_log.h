// The decision log: one JSON line per decision, hash-chained. Each entry's
// "hash" is SHA-256 of the entry's text without its hash field, and "prev"
// is the hash of the entry before (64 zeros for the first), so an edited,
// removed, inserted or reordered entry breaks the chain at a known place.
// With a signing key, the log also holds signed checkpoints over the Merkle
// tree of its entries (runtime/log/checkpoint.h), which someone who can
// rewrite the file cannot forge. Entries carry no clock time: the same batch
// gives the same log, whether it ran in one go or was killed and resumed.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "runtime/log/log_reader.h"

namespace doudi {

struct LogFields {
  std::string batch;          // identifies the batch: bundle, month, jurisdiction, input file
  int64_t index = 0;          // position of the record in the batch's input
  std::string month, jurisdiction, bundle;
  std::string bundle_signer;  // the trusted key that signed the bundle (--trusted-keys), or empty
  std::string input_json;     // canonical record, sensitive fields hashed; "null" if rejected
  std::string input_digest;   // input_digest(key, canonical record before hashing, or the raw line)
  std::string key_id;         // log_key_id of the log key, or empty without one
  std::string outputs_json;   // {"name": value, ...} or "null"
  std::string flags_json;     // ["name", ...]
  std::string error_json;     // {"code": ..., "message": ...} or "null"
  std::string rejected_json;  // ["message", ...] or "null"
};

// Checkpoints: signed with `key` after every `every` entries and when the
// writer says a unit of work is done (the end of a batch, a run).
struct CheckpointSettings {
  std::optional<SigningKey> key;
  uint64_t every = 1000;
};

class DecisionLog {
 public:
  // Opens (creating if needed) for appending. A last line cut short by a
  // crash is removed when `repair` is set, else reported as an error.
  static std::optional<DecisionLog> open(const std::string& path, bool repair, std::string& error,
                                         CheckpointSettings checkpoints = {});

  // Appends one entry; returns its decision id. Entries are gathered and
  // written in large writes (a write per entry was a sixth of a batch's
  // time); with sync, the entry is written and on disk when append returns.
  // Throws std::runtime_error on I/O failure.
  std::string append(const LogFields& f, bool sync = true);
  // Signs a checkpoint over every entry so far, unless one already covers
  // them or there is no key; then syncs.
  void checkpoint();
  // Writes what is gathered and waits until it is on disk.
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
    std::string key_id;  // the log key the batch's first entry was made with
  };
  Logged logged(const std::string& batch) const;

 private:
  DecisionLog() = default;
  void queue_line(const std::string& line);  // written by the next flush (at 1 MiB at the latest)
  void flush();  // writes what is gathered
  std::string path_;
  int fd_ = -1;
  uint64_t seq_ = 0;
  std::string last_hash_ = kGenesisHash;
  merkle::Frontier frontier_;
  CheckpointSettings checkpoints_;
  uint64_t checkpointed_ = 0;  // entries the last checkpoint covers
  std::string pending_;        // whole lines not yet written
  std::vector<std::pair<std::string, int64_t>> batches_;
  std::vector<std::pair<std::string, Logged>> logged_;  // per batch, as opened
};

}  // namespace doudi
