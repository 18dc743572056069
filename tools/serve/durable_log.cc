#include "tools/serve/durable_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <exception>
#include <vector>

#include "runtime/diag/diagnostic.h"
#include "runtime/diag/system_reason.h"
#include "runtime/log/log_reader.h"

namespace doudi::serve {

// A request's entry and where its answer goes; lives on the request's stack.
struct DurableLog::Pending {
  const LogContext* context = nullptr;
  const std::vector<LogFields>* fields = nullptr;
  bool done = false;
  std::optional<std::vector<Logged>> logged;
  std::string error;
  std::condition_variable finished;
};

std::unique_ptr<DurableLog> DurableLog::open(const std::string& path, CheckpointSettings checkpoints,
                                             std::string& error) {
  auto log = DecisionLog::open(path, false, error, std::move(checkpoints));
  if (!log) return nullptr;
  std::unique_ptr<DurableLog> durable(new DurableLog(std::move(*log), path));
  if (!durable->index_existing(error)) return nullptr;
  return durable;
}

bool DurableLog::index_existing(std::string& error) {
  reader_fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (reader_fd_ < 0) {
    error = system_failure("无法读回日志：", "cannot read the log back: ", errno);
    return false;
  }
  bool exists = false;
  const std::string text = read_log_text(path_, exists);
  if (!exists) {
    error = bilingual("无法读回日志", "cannot read the log back");
    return false;
  }
  // DecisionLog::open has verified every line. Each chained line starts
  // {"seq":N, then a context line's "context":{, a format 2 decision's
  // "id", or a later format's decision's "context":N, whose id follows from its
  // leaf and its context line's (runtime/log/log_format.h); checkpoint
  // lines are none of these.
  std::optional<merkle::Hash> context_leaf;  // of the last context line
  for (size_t pos = 0; pos < text.size();) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    const std::string_view line(text.data() + pos, end - pos);
    const size_t after_seq = line.find(',');
    if (line.rfind("{\"seq\":", 0) == 0 && after_seq != std::string_view::npos) {
      const std::string_view rest = line.substr(after_seq + 1);
      if (rest.rfind("\"context\":{", 0) == 0) {
        context_offset_ = pos;
        context_leaf = written_line_leaf(line);
      } else if (rest.rfind("\"context\":", 0) == 0) {
        const auto leaf = written_line_leaf(line);
        if (leaf && context_leaf) index_[decision_id(*context_leaf, *leaf)] = Place{context_offset_, pos};
      } else if (rest.rfind("\"id\":\"", 0) == 0) {
        const size_t close = rest.find('"', 6);
        if (close != std::string_view::npos) index_[std::string(rest.substr(6, close - 6))] = Place{context_offset_, pos};
      }
    }
    pos = end + 1;
  }
  return true;
}

std::optional<std::string> DurableLog::line_at(uint64_t offset) const {
  std::string line;
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::pread(reader_fd_, buffer, sizeof buffer, static_cast<off_t>(offset + line.size()));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return std::nullopt;  // the file ends before the line does
    const std::string_view got(buffer, static_cast<size_t>(n));
    const size_t newline = got.find('\n');
    line += got.substr(0, newline);
    if (newline != std::string_view::npos) return line;
  }
}

std::optional<DurableLog::Lines> DurableLog::find(const std::string& id) const {
  Place place;
  {
    std::lock_guard lock(index_mutex_);
    auto it = index_.find(id);
    if (it == index_.end()) return std::nullopt;
    place = it->second;
  }
  auto context = line_at(place.context);
  auto decision = line_at(place.decision);
  if (!context || !decision) return std::nullopt;
  return Lines{std::move(*context), std::move(*decision)};
}

DurableLog::DurableLog(DecisionLog log, std::string path) : log_(std::move(log)), path_(std::move(path)) {
  writer_ = std::thread([this] { write_loop(); });
}

DurableLog::~DurableLog() {
  close();
  if (reader_fd_ >= 0) ::close(reader_fd_);
}

std::optional<DurableLog::Logged> DurableLog::append(const LogContext& context, const LogFields& fields,
                                                     std::string& error) {
  // One copy of the fields: a small price beside the sync the request waits for.
  auto logged = append_all(context, {fields}, error);
  if (!logged) return std::nullopt;
  return std::move(logged->front());
}

std::optional<std::vector<DurableLog::Logged>> DurableLog::append_all(const LogContext& context,
                                                                      const std::vector<LogFields>& fields,
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
  return std::move(p.logged);
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
    std::vector<std::vector<Logged>> results(group.size());
    std::vector<std::pair<std::string, Place>> places;
    std::string failure;
    try {
      for (size_t i = 0; i < group.size(); ++i) {
        const LogContext& context = *group[i]->context;
        for (const LogFields& fields : *group[i]->fields) {
          const uint64_t before = log_.end_offset(), context_before = log_.context_seq();
          log_.begin(context);
          if (log_.context_seq() != context_before) context_offset_ = before;  // begin wrote a context line there
          const Place place{context_offset_, log_.end_offset()};
          std::string id = log_.append_decision(fields);
          places.emplace_back(id, place);
          results[i].push_back(Logged{std::move(id), log_.entries()});
        }
      }
      log_.sync();
      // On disk: from now on GET /v1/decisions/{id} finds them.
      std::lock_guard lock(index_mutex_);
      for (auto& [id, place] : places) index_[std::move(id)] = place;
    } catch (const std::exception& e) {
      // Nothing of this group is known to be on disk: every request in it fails.
      failure = e.what();
    }
    std::lock_guard lock(mutex_);
    // After a failed write the chain in memory is ahead of the file: nothing
    // more is appended (an operator repairs the log and restarts).
    if (!failure.empty() && failed_.empty()) failed_ = failure + " (no decision is logged or answered from now on)";
    for (size_t i = 0; i < group.size(); ++i) {
      if (failure.empty()) group[i]->logged = std::move(results[i]);
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
