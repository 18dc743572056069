#include "tools/serve/durable_log.h"

#include <exception>
#include <vector>

namespace doudi::serve {

// A request's entry and where its answer goes; lives on the request's stack.
struct DurableLog::Pending {
  const LogContext* context = nullptr;
  const LogFields* fields = nullptr;
  bool done = false;
  std::optional<Logged> logged;
  std::string error;
  std::condition_variable finished;
};

std::unique_ptr<DurableLog> DurableLog::open(const std::string& path, CheckpointSettings checkpoints,
                                             std::string& error) {
  auto log = DecisionLog::open(path, false, error, std::move(checkpoints));
  if (!log) return nullptr;
  return std::unique_ptr<DurableLog>(new DurableLog(std::move(*log), path));
}

DurableLog::DurableLog(DecisionLog log, std::string path) : log_(std::move(log)), path_(std::move(path)) {
  writer_ = std::thread([this] { write_loop(); });
}

DurableLog::~DurableLog() { close(); }

std::optional<DurableLog::Logged> DurableLog::append(const LogContext& context, const LogFields& fields,
                                                     std::string& error) {
  Pending p;
  p.context = &context;
  p.fields = &fields;
  std::unique_lock lock(mutex_);
  if (closing_) {
    error = "the log is closed (the server is stopping)";
    return std::nullopt;
  }
  if (!failed_.empty()) {
    error = failed_;
    return std::nullopt;
  }
  queue_.push_back(&p);
  wake_.notify_one();
  p.finished.wait(lock, [&] { return p.done; });
  if (!p.logged) error = p.error;
  return p.logged;
}

void DurableLog::write_loop() {
  std::vector<Pending*> group;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return closing_ || !queue_.empty(); });
      if (queue_.empty()) break;  // closing, nothing left
      group.assign(queue_.begin(), queue_.end());
      queue_.clear();
    }
    // Appended in the order they arrived, then one sync for the group.
    std::vector<std::optional<Logged>> results(group.size());
    std::string failure;
    try {
      for (size_t i = 0; i < group.size(); ++i) {
        std::string id = log_.append(*group[i]->context, *group[i]->fields, false);
        results[i] = Logged{std::move(id), log_.entries()};
      }
      log_.sync();
    } catch (const std::exception& e) {
      // Nothing of this group is known to be on disk: every request in it fails.
      failure = e.what();
      for (auto& r : results) r.reset();
    }
    std::lock_guard lock(mutex_);
    // After a failed write the chain in memory is ahead of the file: nothing
    // more is appended (an operator repairs the log and restarts).
    if (!failure.empty() && failed_.empty()) failed_ = failure + " (no decision is logged or answered from now on)";
    for (size_t i = 0; i < group.size(); ++i) {
      group[i]->logged = std::move(results[i]);
      group[i]->error = failure;
      group[i]->done = true;
      group[i]->finished.notify_one();
    }
  }
}

void DurableLog::close() {
  {
    std::lock_guard lock(mutex_);
    if (closing_) return;
    closing_ = true;
  }
  wake_.notify_one();
  if (writer_.joinable()) writer_.join();
  try {
    log_.checkpoint();  // signs one over every entry (with a key) and syncs
  } catch (const std::exception&) {
    // Every answered decision was synced before its answer; a checkpoint
    // that cannot be written leaves the log as it was.
  }
}

}  // namespace doudi::serve
