#include "runtime/log/decision_log.h"

#include "runtime/diag/diagnostic.h"
#include "runtime/diag/system_reason.h"

#include <utility>

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <new>
#include <stdexcept>
#include <thread>

#include "runtime/bundle/json_text.h"
#include "runtime/digest/digest.h"
#include "runtime/source/read_file.h"

namespace doudi {

// Syncs the file on its own thread when asked; the writer goes on writing.
class DecisionLog::Syncer {
 public:
  explicit Syncer(int fd) : fd_(fd), thread_([this] { run(); }) {}
  ~Syncer() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }
  void request() {
    {
      std::lock_guard lock(mutex_);
      requested_ = true;
    }
    wake_.notify_one();
  }
  bool failed() const { return failed_; }

 private:
  void run() {
    std::unique_lock lock(mutex_);
    while (true) {
      wake_.wait(lock, [&] { return requested_ || stop_; });
      if (stop_) return;
      requested_ = false;
      lock.unlock();
      if (::fdatasync(fd_) != 0) failed_ = true;
      lock.lock();
    }
  }
  int fd_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool requested_ = false, stop_ = false;
  std::atomic<bool> failed_ = false;
  std::thread thread_;  // last: started once the rest is set up
};

PreparedEntry prepare_decision(uint64_t seq, uint64_t context_seq, const LogFields& f) {
  PreparedEntry e;
  e.seq = seq;
  decision_text(e.text, seq, context_seq, f);
  line_leaf(e.text, e.leaf);
  return e;
}

void PreparedLines::add(uint64_t seq, uint64_t context_seq, const LogFields& f) {
  if (lines_.empty()) first_seq_ = seq;
  else if (seq != first_seq_ + lines_.size())
    throw std::logic_error(fmt::format("decision {} prepared after {}", seq, first_seq_ + lines_.size() - 1));
  const size_t start = text_.size();
  append_decision_text(text_, seq, context_seq, f);
  Line& line = lines_.emplace_back();
  line_leaf(std::string_view(text_).substr(start), line.leaf);
  append_unhashed_close(text_);
  line.end = text_.size();
}

void PreparedLines::clear(size_t keep_bytes) {
  if (text_.capacity() > keep_bytes) std::string().swap(text_);
  else text_.clear();
  if (lines_.capacity() * sizeof(Line) > keep_bytes) std::vector<Line>().swap(lines_);
  else lines_.clear();
}

std::string_view PreparedLines::line(size_t i) const {
  const size_t start = i ? lines_.at(i - 1).end : 0;
  return std::string_view(text_).substr(start, lines_.at(i).end - start);
}

std::string_view PreparedLines::leaf(size_t i) const {
  return std::string_view(reinterpret_cast<const char*>(lines_.at(i).leaf), sizeof(Line::leaf));
}

std::optional<DecisionLog> DecisionLog::open(const std::string& path, bool repair, std::string& error,
                                             CheckpointSettings checkpoints) {
  DecisionLog log;
  log.path_ = path;
  log.checkpoints_ = std::move(checkpoints);
  if (log.checkpoints_.every == 0) log.checkpoints_.every = 1;
  if (path == "-") {
    // Not standard output: a log is appended to, locked, synced and resumed
    // (and a command's standard output carries its answer).
    error = bilingual("须是文件（- 不表示标准输出）", "must be a file (- does not mean standard output here)");
    return std::nullopt;
  }
  struct stat st {};
  const bool existed = ::stat(path.c_str(), &st) == 0;
  if (existed && !S_ISREG(st.st_mode)) {
    error = not_a_regular_file();
    return std::nullopt;
  }
  log.fd_ = ::open(path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NONBLOCK, 0644);
  if (log.fd_ < 0) {
    error = system_failure("无法打开以追加写入：", "cannot open for appending: ", errno);
    return std::nullopt;
  }
  if (::fstat(log.fd_, &st) != 0 || !S_ISREG(st.st_mode)) {  // replaced between the two looks
    error = not_a_regular_file();
    return std::nullopt;
  }
  // One writer at a time: two batches appending to one log would number
  // their entries alike and break the chain. The lock lasts as long as the
  // descriptor, so a killed writer leaves none behind.
  if (::flock(log.fd_, LOCK_EX | LOCK_NB) != 0) {
    error = errno == EWOULDBLOCK
                ? bilingual("另一个 doudi 正在写入这个日志（已加锁）；请等它结束", "another doudi is writing this log (it is locked); wait for it to finish")
                : system_failure("无法加锁：", "cannot lock it: ", errno);
    return std::nullopt;
  }
  bool exists = false;
  std::string text = read_log_text(path, exists);
  if (!exists) {  // opened a moment ago: it was replaced, or cannot be read back
    error = bilingual("无法读回日志", "cannot read the log back");
    return std::nullopt;
  }
  if (!text.empty() && text.back() != '\n') {
    const size_t last = text.rfind('\n');
    const size_t keep = last == std::string::npos ? 0 : last + 1;
    if (!repair) {
      error = bilingual("最后一行不完整（写入被中断）；续跑该批次（--resume）可将其移除", "the last line is incomplete (an interrupted write); resume the batch to remove it");
      return std::nullopt;
    }
    if (truncate(path.c_str(), static_cast<off_t>(keep)) != 0) {
      error = bilingual("无法移除不完整的最后一行", "cannot remove the incomplete last line");
      return std::nullopt;
    }
    text.resize(keep);
  }
  LogContents contents;
  contents.keep_entries = false;  // counted per batch as they are read, not kept
  contents.on_entry = [&](const LogEntry& e) {
    auto it = std::find_if(log.logged_.begin(), log.logged_.end(), [&](const auto& x) { return x.first == e.batch; });
    if (it == log.logged_.end()) it = log.logged_.insert(log.logged_.end(), {e.batch, Logged{0, 0, 0, -1, e.key_id}});
    if (e.rejected) ++it->second.rejected;
    else ++it->second.decided;
    if (!e.rejected && !e.error_code.empty()) ++it->second.errors;
    it->second.last_index = std::max(it->second.last_index, e.index);
  };
  const VerifyResult v = verify_log_text(text, nullptr, &contents);
  if (!v.ok) {
    error = bilingual(fmt::format("第 {} 条无效：{}", v.bad_entry, in_lang(v.reason, Lang::Zh)),
                      fmt::format("entry {} is not valid: {}", v.bad_entry, in_lang(v.reason, Lang::En)));
    return std::nullopt;
  }
  // Format 2 and 3 lines chain as format 4's do: a new batch goes on under a
  // context line of its own format (and a format 2 batch resumed, too).
  if (v.format == 1) {
    error = bilingual(fmt::format("这是格式 {} 的日志（较早版本的 doudi 所写）：仍可校验、重放，但不能续写；请换一个新的日志文件", v.format),
                      fmt::format("this log is in format {} (written by an earlier doudi): it can still be verified and "
                                  "replayed, not appended to; use a new log file", v.format));
    return std::nullopt;
  }
  log.written_ = text.size();
  log.seq_ = v.entries;
  log.last_hash_ = v.entries ? *from_hex(v.head) : genesis_hash();
  log.context_ = v.context;
  log.context_seq_ = v.context_seq;
  log.context_leaf_ = v.context_leaf;
  log.frontier_ = v.frontier;
  log.checkpointed_ = v.covered();
  // A writer killed between an entry and the checkpoint due after it: sign it
  // now, so a resumed batch writes the log an uninterrupted one would.
  if (repair && log.checkpoints_.key && log.seq_ > log.checkpointed_ && log.seq_ % log.checkpoints_.every == 0) {
    try {
      log.checkpoint();
    } catch (const std::exception& e) {
      error = e.what();
      return std::nullopt;
    }
  }
  return log;
}

DecisionLog::DecisionLog(DecisionLog&& other) noexcept
    : path_(std::move(other.path_)),
      fd_(std::exchange(other.fd_, -1)),
      seq_(other.seq_),
      last_hash_(std::move(other.last_hash_)),
      context_(std::move(other.context_)),
      context_seq_(other.context_seq_),
      context_leaf_(std::move(other.context_leaf_)),
      frontier_(std::move(other.frontier_)),
      checkpoints_(std::move(other.checkpoints_)),
      checkpointed_(other.checkpointed_),
      written_(other.written_),
      pending_(std::move(other.pending_)),
      logged_(std::move(other.logged_)),
      syncer_(std::move(other.syncer_)),
      group_(other.group_),
      synced_through_(other.synced_through_),
      last_sync_request_(other.last_sync_request_) {}

DecisionLog& DecisionLog::operator=(DecisionLog&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) {
      syncer_.reset();
      try {
        flush();
      } catch (const std::exception&) {
      }
      ::close(fd_);
    }
    path_ = std::move(other.path_);
    fd_ = std::exchange(other.fd_, -1);
    seq_ = other.seq_;
    last_hash_ = std::move(other.last_hash_);
    context_ = std::move(other.context_);
    context_seq_ = other.context_seq_;
    context_leaf_ = std::move(other.context_leaf_);
    frontier_ = std::move(other.frontier_);
    checkpoints_ = std::move(other.checkpoints_);
    checkpointed_ = other.checkpointed_;
    written_ = other.written_;
    pending_ = std::move(other.pending_);
    logged_ = std::move(other.logged_);
    syncer_ = std::move(other.syncer_);
    group_ = other.group_;
    synced_through_ = other.synced_through_;
    last_sync_request_ = other.last_sync_request_;
  }
  return *this;
}

DecisionLog::~DecisionLog() {
  if (fd_ < 0) return;
  syncer_.reset();
  // What was appended is written; after a write that failed there is
  // nothing more to say here (the caller had the exception).
  try {
    flush();
  } catch (const std::exception&) {
  }
  ::close(fd_);
}

DecisionLog::Logged DecisionLog::logged(const std::string& batch) const {
  for (const auto& [b, counts] : logged_)
    if (b == batch) return counts;
  return {};
}

void DecisionLog::sync() {
  flush();
  if (::fsync(fd_) != 0) throw std::runtime_error("cannot sync the decision log");
}

void DecisionLog::queue_line(const std::string& line) {
  pending_ += line;
  // Large writes: a crash leaves whole lines and at most one cut-off last
  // line, which resume removes.
  if (pending_.size() >= (1u << 20)) flush();
}

namespace {

// Writes `text`, leaving in it what is not written yet when a write fails.
void write_all(int fd, std::string_view& text, uint64_t& written) {
  while (!text.empty()) {
    const ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::runtime_error("cannot write the decision log");
    text.remove_prefix(static_cast<size_t>(n));
    written += static_cast<uint64_t>(n);
  }
}

}  // namespace

void DecisionLog::flush() {
  write_all(fd_, unwritten_, written_);
  std::string_view rest = pending_;
  try {
    write_all(fd_, rest, written_);
  } catch (...) {
    pending_.erase(0, pending_.size() - rest.size());  // what was written is not written again
    throw;
  }
  pending_.clear();
}

void DecisionLog::chain(std::string_view text, const merkle::Hash& leaf) {
  // Straight into the pending writes: a crash leaves whole lines and at most
  // one cut-off last line, which resume removes.
  pending_ += text;
  append_unhashed_close(pending_);
  chain_in_place(pending_, pending_.size(), leaf);
  if (pending_.size() >= (1u << 20)) flush();
}

void DecisionLog::chain_in_place(std::string& buffer, size_t line_end, std::string_view leaf) {
  unsigned char next[32];
  chain_hash(last_hash_, leaf, next);
  const std::string_view hash(reinterpret_cast<const char*>(next), sizeof next);
  fill_line_hash(buffer, line_end, hash);
  // The Merkle tree's frontier serves only checkpoints, which need a signing
  // key: without one it would be two hashes per line for nothing (a log
  // opened later with a key reads its frontier from the file).
  if (checkpoints_.key) frontier_.add(merkle::Hash(leaf));
  ++seq_;
  last_hash_.assign(hash);
}

uint64_t DecisionLog::begin(const LogContext& c) {
  if (context_ != c) begin_new(c);
  return seq_ + 1;
}

void DecisionLog::begin_new(const LogContext& c) {
  std::string text = context_text(seq_ + 1, c);
  const merkle::Hash leaf = line_leaf(text);
  chain(text, leaf);
  context_ = c;
  context_seq_ = seq_;
  context_leaf_ = leaf;
  after_append();
}

void DecisionLog::append(const PreparedEntry& e) {
  if (e.seq != seq_ + 1)
    throw std::logic_error(fmt::format("decision prepared for seq {} appended as {}", e.seq, seq_ + 1));
  // A decision of this format under a context line of another (an older
  // log's last batch) would not verify: begin() writes one of this format.
  if (!context_ || context_->format != kLogFormat) throw std::logic_error("decision appended before its context line");
  chain(e.text, e.leaf);
  after_append();
}

void DecisionLog::append(PreparedLines& lines) {
  if (lines.lines_.empty()) return;
  if (lines.first_seq_ != seq_ + 1)
    throw std::logic_error(fmt::format("decisions prepared from seq {} appended as {}", lines.first_seq_, seq_ + 1));
  if (!context_ || context_->format != kLogFormat) throw std::logic_error("decisions appended before their context line");
  flush();  // lines queued before these are written before them
  // unwritten_ points into `lines`. If a write or a sync fails part way,
  // the lines chained and not yet written are kept in pending_ (ahead of
  // whatever was queued after them), as lines chained one by one are: the
  // log's head counts them, and the destructor's flush tries them again.
  struct Keep {
    DecisionLog& log;
    ~Keep() {
      try {
        log.pending_.insert(0, log.unwritten_);  // empty unless this is an exception's way out
      } catch (const std::bad_alloc&) {  // no memory to keep them: the file still holds whole lines only
      }
      log.unwritten_ = {};
    }
  } keep{*this};
  size_t from = 0;  // lines before it are written
  for (const PreparedLines::Line& line : lines.lines_) {
    chain_in_place(lines.text_, line.end, std::string_view(reinterpret_cast<const char*>(line.leaf), sizeof line.leaf));
    unwritten_ = std::string_view(lines.text_).substr(from, line.end - from);
    after_append();  // a checkpoint or sync due flushes first, writing unwritten_
    if (unwritten_.empty()) from = line.end;
  }
  unwritten_ = std::string_view(lines.text_).substr(from);
  flush();
}

std::string DecisionLog::append_decision(const LogFields& f) {
  const PreparedEntry e = prepare_decision(seq_ + 1, context_seq_, f);
  append(e);
  return decision_id(context_leaf_, e.leaf);
}

std::string DecisionLog::append(const LogContext& c, const LogFields& f, bool sync_now) {
  begin(c);
  std::string id = append_decision(f);
  if (sync_now) sync();
  return id;
}

void DecisionLog::group_commit(GroupCommit settings) {
  group_ = settings;
  if (!syncer_) syncer_ = std::make_unique<Syncer>(fd_);
  last_sync_request_ = std::chrono::steady_clock::now();
  synced_through_ = seq_;
}

void DecisionLog::after_append() {
  const bool signed_now = checkpoints_.key && seq_ % checkpoints_.every == 0;
  if (signed_now) queue_checkpoint();
  if (!syncer_) {
    if (signed_now) sync();  // a checkpoint is on disk once written
    return;
  }
  if (syncer_->failed()) throw std::runtime_error("cannot sync the decision log");
  // The clock is read every 256 lines: a sync is due by count or by time.
  if (!signed_now && seq_ - synced_through_ < group_.entries && (seq_ & 255) != 0) return;
  const auto now = std::chrono::steady_clock::now();
  if (!signed_now && seq_ - synced_through_ < group_.entries && now - last_sync_request_ < group_.interval) return;
  flush();
  syncer_->request();
  synced_through_ = seq_;
  last_sync_request_ = now;
}

void DecisionLog::queue_checkpoint() {
  if (checkpoints_.key && checkpointed_ != seq_) {
    queue_line(checkpoint_line(sign_checkpoint(*checkpoints_.key, seq_, to_hex(frontier_.root()))) + "\n");
    checkpointed_ = seq_;
  }
}

void DecisionLog::checkpoint() {
  queue_checkpoint();
  sync();
}

}  // namespace doudi
