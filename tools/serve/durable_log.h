// The service's decision log: requests on many threads append decisions, and
// each request waits until its entry is on disk before it answers (a response
// means the decision is durable). One writer thread appends whatever has
// gathered and syncs once for all of it (group commit): under load, one
// fsync covers many requests.
#pragma once
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "runtime/log/decision_log.h"

namespace doudi::serve {

class DurableLog {
 public:
  // Opens (creating) the log; a last line cut short by a crash is an error,
  // as for `batch` without --resume (the operator decides what to do).
  static std::unique_ptr<DurableLog> open(const std::string& path, CheckpointSettings checkpoints,
                                          std::string& error);
  ~DurableLog();

  struct Logged {
    std::string id;
    uint64_t seq = 0;
  };
  // Appends the decision and returns once it is on disk; nullopt with
  // `error` set if the log could not be written (or is closed). After one
  // failed write every later append fails too.
  std::optional<Logged> append(const LogContext& context, const LogFields& fields, std::string& error);
  // The same for several decisions of one context, written together and
  // synced once (a batch request); all or none.
  std::optional<std::vector<Logged>> append_all(const LogContext& context, const std::vector<LogFields>& fields,
                                                std::string& error);
  // A logged decision's line and its context line, as in the file, for
  // GET /v1/decisions/{id}: decisions this server appended and those the
  // log held when it was opened. Nullopt for an id the log does not hold.
  struct Lines {
    std::string context, decision;
  };
  std::optional<Lines> find(const std::string& id) const;
  // Appends nothing more: waits for what is queued, signs a checkpoint,
  // syncs and stops the writer. Later appends fail.
  void close();
  // Whether a write failed (the log then takes no more entries).
  bool failed() {
    std::lock_guard lock(mutex_);
    return !failed_.empty();
  }

 private:
  struct Pending;
  explicit DurableLog(DecisionLog log, std::string path);
  void write_loop();
  // Indexes the decisions already in the file; false if it cannot be read.
  bool index_existing(std::string& error);
  std::optional<std::string> line_at(uint64_t offset) const;

  // Where a decision's line and its context line start in the file.
  struct Place {
    uint64_t context = 0, decision = 0;
  };

  DecisionLog log_;
  std::string path_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Pending*> queue_;
  bool closing_ = false;
  std::string failed_;  // why the log stopped taking entries, after a failed write
  std::thread writer_;
  int reader_fd_ = -1;  // the file, read-only, for find()
  mutable std::mutex index_mutex_;
  std::unordered_map<std::string, Place> index_;  // by decision id
  uint64_t context_offset_ = 0;  // of the last context line (writer thread)
};

}  // namespace doudi::serve
