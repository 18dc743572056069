#include "runtime/log/decision_log.h"

#include "runtime/diag/diagnostic.h"

#include <utility>

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <algorithm>
#include <stdexcept>

#include "runtime/bundle/json_text.h"
#include "runtime/digest/digest.h"
#include "runtime/source/read_file.h"

namespace doudi {
namespace {

std::string quoted_or_null(const std::string& s) { return s.empty() ? "null" : json_quote(s); }

// The entry without "hash", closed: what the hash is taken over.
std::string unhashed_entry(uint64_t seq, const std::string& id, const LogFields& f, const std::string& prev) {
  return fmt::format(
      "{{\"seq\":{},\"id\":{},\"batch\":{},\"index\":{},\"month\":{},\"jurisdiction\":{},\"bundle\":{},\"bundle_signer\":{},"
      "\"input\":{},\"input_digest\":{},\"key\":{},\"outputs\":{},\"flags\":{},\"error\":{},\"rejected\":{},\"prev\":{}",
      seq, json_quote(id), json_quote(f.batch), f.index, json_quote(f.month), json_quote(f.jurisdiction),
      json_quote(f.bundle), quoted_or_null(f.bundle_signer), f.input_json, json_quote(f.input_digest),
      quoted_or_null(f.key_id), f.outputs_json, f.flags_json, f.error_json, f.rejected_json, json_quote(prev));
}

}  // namespace

std::optional<DecisionLog> DecisionLog::open(const std::string& path, bool repair, std::string& error,
                                             CheckpointSettings checkpoints) {
  DecisionLog log;
  log.path_ = path;
  log.checkpoints_ = std::move(checkpoints);
  if (log.checkpoints_.every == 0) log.checkpoints_.every = 1;
  struct stat st {};
  const bool existed = ::stat(path.c_str(), &st) == 0;
  if (existed && !S_ISREG(st.st_mode)) {
    error = not_a_regular_file();
    return std::nullopt;
  }
  log.fd_ = ::open(path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NONBLOCK, 0644);
  if (log.fd_ < 0) {
    const std::string why = std::strerror(errno);
    error = bilingual("无法打开以追加写入：" + why, "cannot open for appending: " + why);
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
                : bilingual(std::string("无法加锁：") + std::strerror(errno), std::string("cannot lock it: ") + std::strerror(errno));
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
  const VerifyResult v = verify_log_text(text, nullptr, &contents);
  if (!v.ok) {
    error = bilingual(fmt::format("第 {} 条无效：{}", v.bad_entry, in_lang(v.reason, Lang::Zh)),
                      fmt::format("entry {} is not valid: {}", v.bad_entry, in_lang(v.reason, Lang::En)));
    return std::nullopt;
  }
  log.seq_ = v.entries;
  log.last_hash_ = v.entries ? v.head : kGenesisHash;
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
  for (const auto& e : contents.entries) {
    log.batches_.push_back({e.batch, e.index});
    auto it = std::find_if(log.logged_.begin(), log.logged_.end(), [&](const auto& x) { return x.first == e.batch; });
    if (it == log.logged_.end()) it = log.logged_.insert(log.logged_.end(), {e.batch, Logged{0, 0, 0, e.key_id}});
    if (e.rejected) ++it->second.rejected;
    else ++it->second.decided;
    if (!e.rejected && !e.error_code.empty()) ++it->second.errors;
  }
  return log;
}

DecisionLog::DecisionLog(DecisionLog&& other) noexcept
    : path_(std::move(other.path_)),
      fd_(std::exchange(other.fd_, -1)),
      seq_(other.seq_),
      last_hash_(std::move(other.last_hash_)),
      frontier_(std::move(other.frontier_)),
      checkpoints_(std::move(other.checkpoints_)),
      checkpointed_(other.checkpointed_),
      pending_(std::move(other.pending_)),
      batches_(std::move(other.batches_)),
      logged_(std::move(other.logged_)) {}

DecisionLog& DecisionLog::operator=(DecisionLog&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) {
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
    frontier_ = std::move(other.frontier_);
    checkpoints_ = std::move(other.checkpoints_);
    checkpointed_ = other.checkpointed_;
    pending_ = std::move(other.pending_);
    batches_ = std::move(other.batches_);
    logged_ = std::move(other.logged_);
  }
  return *this;
}

DecisionLog::~DecisionLog() {
  if (fd_ < 0) return;
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

int64_t DecisionLog::last_index(const std::string& batch) const {
  int64_t last = -1;
  for (const auto& [b, i] : batches_)
    if (b == batch) last = std::max(last, i);
  return last;
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

void DecisionLog::flush() {
  const char* p = pending_.data();
  size_t left = pending_.size();
  while (left > 0) {
    const ssize_t n = ::write(fd_, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::runtime_error("cannot write the decision log");
    p += n;
    left -= static_cast<size_t>(n);
  }
  pending_.clear();
}

std::string DecisionLog::append(const LogFields& f, bool sync_now) {
  const uint64_t seq = seq_ + 1;
  const std::string id = decision_id(last_hash_, f.input_digest, seq);
  // Built in one string: the hash is over the entry closed without its hash.
  std::string line = unhashed_entry(seq, id, f, last_hash_);
  line += '}';
  const std::string hash = sha256_hex(line);
  line.pop_back();
  line += kHashKey;
  line += hash;
  line += "\"}";
  frontier_.add(merkle::leaf_hash(line));
  line += '\n';
  queue_line(line);
  seq_ = seq;
  last_hash_ = hash;
  batches_.push_back({f.batch, f.index});
  if (checkpoints_.key && seq_ % checkpoints_.every == 0) checkpoint();
  else if (sync_now) sync();
  return id;
}

void DecisionLog::checkpoint() {
  if (checkpoints_.key && checkpointed_ != seq_) {
    queue_line(checkpoint_line(sign_checkpoint(*checkpoints_.key, seq_, to_hex(frontier_.root()))) + "\n");
    checkpointed_ = seq_;
  }
  sync();
}

}  // namespace doudi
