// The decision log: one JSON line per decision, hash-chained, in the
// format runtime/log/log_format.h defines: an edited, removed, inserted or
// reordered line breaks the chain at a known place. With a signing key, the
// log also holds signed checkpoints over the Merkle tree of its lines
// (runtime/log/checkpoint.h), which someone who can rewrite the file cannot
// forge. Entries carry no clock time: the same batch gives the same log,
// whether it ran in one go or was killed and resumed.
#pragma once
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/log/log_format.h"
#include "runtime/log/log_reader.h"

namespace doudi {

// A decision's line, built and hashed before it is chained.
struct PreparedEntry {
  uint64_t seq = 0;
  std::string text;  // decision_text(...), unclosed
  merkle::Hash leaf;
};
PreparedEntry prepare_decision(uint64_t seq, uint64_t context_seq, const LogFields& f);

// Decisions' lines built and hashed off the writer's thread (a batch's
// workers make one of these per chunk), one after another in one buffer,
// each closed with its chain hash's digits left blank: the writer fills
// them in and writes the buffer as it is (copying each line into a buffer
// of its own took a tenth of a batch's time, on the one thread that cannot
// be spread over cores).
class PreparedLines {
 public:
  // Appends the line of the decision numbered `seq`: the one after the
  // last added, or any for the first.
  void add(uint64_t seq, uint64_t context_seq, const LogFields& f);
  // Empties it, keeping its storage unless that is over `keep_bytes` (a
  // chunk with a huge record would otherwise hold its memory for good).
  void clear(size_t keep_bytes);
  size_t size() const { return lines_.size(); }
  // The bytes of storage it keeps for its lines.
  size_t capacity() const { return text_.capacity() + lines_.capacity() * sizeof(Line); }
  // Line i with its newline (its hash blank until appended), and its leaf.
  std::string_view line(size_t i) const;
  std::string_view leaf(size_t i) const;

 private:
  friend class DecisionLog;
  struct Line {
    size_t end;  // in text_, after its newline
    unsigned char leaf[32];
  };
  uint64_t first_seq_ = 0;
  std::string text_;
  std::vector<Line> lines_;
};

// Durability while a batch runs: the log is synced on a thread of its own
// once `entries` lines or `interval` have passed since the last sync, so
// deciding never waits for the disk. A crash loses at most that much, which
// a resumed batch decides again; when the batch returns, everything is on
// disk (DecisionLog::checkpoint syncs).
struct GroupCommit {
  uint64_t entries = 100000;
  std::chrono::milliseconds interval{1000};
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

  // Writes a context line unless the last line's context is `c` (a resumed
  // batch continues under its own); returns the seq the next decision gets.
  uint64_t begin(const LogContext& c);
  // Writes a context line for `c` whatever the last one was (a batch that
  // numbered its decisions before it knew its context).
  void begin_new(const LogContext& c);
  // Appends a decision prepared for seq entries() + 1 (a batch asks no
  // decision's id: see decision_id).
  // Lines are gathered and written in large writes (a write per entry was a
  // sixth of a batch's time). Throws std::runtime_error on I/O failure.
  void append(const PreparedEntry& e);
  // Appends lines prepared for seq entries() + 1 on, filling their hashes
  // in, and writes them.
  void append(PreparedLines& lines);
  // Prepares and appends a decision under the current context (begin);
  // returns its id.
  std::string append_decision(const LogFields& f);
  // begin, prepare and append; with sync, the entry is on disk on return.
  std::string append(const LogContext& c, const LogFields& f, bool sync = true);
  // Syncs in the background from now on (see GroupCommit).
  void group_commit(GroupCommit settings);
  // Signs a checkpoint over every entry so far, unless one already covers
  // them or there is no key; then syncs.
  void checkpoint();
  // Writes what is gathered and waits until it is on disk.
  void sync();
  // Writes what is gathered, without waiting for the disk: a reader of the
  // file sees every entry so far. Throws std::runtime_error on I/O failure.
  void flush();

  uint64_t entries() const { return seq_; }
  // The seq of the last context line (begin() writes one when needed).
  uint64_t context_seq() const { return context_seq_; }
  // Where the next line will start in the file: a reader finds a line
  // appended now at this offset once it is written (the log is the file's
  // only writer: it holds a lock).
  uint64_t end_offset() const { return written_ + pending_.size(); }
  // The file, for the tests of what is on disk.
  const std::string& path() const { return path_; }

  // The log owns its file descriptor: moved, never copied; closed at the end.
  DecisionLog(DecisionLog&& other) noexcept;
  DecisionLog& operator=(DecisionLog&& other) noexcept;
  DecisionLog(const DecisionLog&) = delete;
  DecisionLog& operator=(const DecisionLog&) = delete;
  ~DecisionLog();
  // What the log held for `batch` when it was opened: a resumed batch's
  // summary counts the records decided and rejected before it resumed.
  struct Logged {
    uint64_t decided = 0, errors = 0, rejected = 0;
    int64_t last_index = -1;  // the highest input index logged, -1 for none
    std::string key_id;       // the log key the batch's first entry was made with
  };
  Logged logged(const std::string& batch) const;
  // How many batches have an entry (a decision or a rejection) in the log
  // as it was opened.
  size_t batches_logged() const { return logged_.size(); }
  // The last context line's, if the log has one: the batch last begun.
  const std::optional<LogContext>& last_context() const { return context_; }

 private:
  DecisionLog() = default;
  class Syncer;
  void queue_line(const std::string& line);  // written by the next flush (at 1 MiB at the latest)
  void chain(std::string_view unclosed_text, const merkle::Hash& leaf);  // closes, queues, chains
  // Chains the line that ends at `line_end` of `buffer`, its hash's digits
  // blank (append_unhashed_close): fills them in, and the head moves on.
  void chain_in_place(std::string& buffer, size_t line_end, std::string_view leaf);
  void after_append();      // a checkpoint or a background sync, when due
  void queue_checkpoint();  // signs one over every line so far, unless one covers them
  std::string path_;
  int fd_ = -1;
  uint64_t seq_ = 0;
  merkle::Hash last_hash_ = genesis_hash();
  std::optional<LogContext> context_;  // of the last context line
  uint64_t context_seq_ = 0;
  merkle::Hash context_leaf_;  // of the last context line: decisions' ids follow from it
  merkle::Frontier frontier_;  // kept up to date only with a signing key (checkpoints are its one use)
  CheckpointSettings checkpoints_;
  uint64_t checkpointed_ = 0;  // entries the last checkpoint covers
  uint64_t written_ = 0;       // bytes in the file
  std::string pending_;        // whole lines not yet written
  // While append(PreparedLines&) runs: its lines chained and not yet
  // written, which go before pending_ (a checkpoint queued after them).
  std::string_view unwritten_;
  std::vector<std::pair<std::string, Logged>> logged_;  // per batch, as opened
  std::unique_ptr<Syncer> syncer_;
  GroupCommit group_;
  uint64_t synced_through_ = 0;  // lines written when the last background sync was asked for
  std::chrono::steady_clock::time_point last_sync_request_;
};

}  // namespace doudi
