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
  // Appends nothing more: waits for what is queued, signs a checkpoint,
  // syncs and stops the writer. Later appends fail.
  void close();
  const std::string& path() const { return path_; }
  // Whether a write failed (the log then takes no more entries).
  bool failed() {
    std::lock_guard lock(mutex_);
    return !failed_.empty();
  }

 private:
  struct Pending;
  explicit DurableLog(DecisionLog log, std::string path);
  void write_loop();

  DecisionLog log_;
  std::string path_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Pending*> queue_;
  bool closing_ = false;
  std::string failed_;  // why the log stopped taking entries, after a failed write
  std::thread writer_;
};

}  // namespace doudi::serve
