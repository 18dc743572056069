#include "runtime/log/decision_log.h"

#include "runtime/diag/diagnostic.h"

#include <utility>

#include <fcntl.h>
#include <fmt/format.h>
#include <simdjson.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "runtime/bundle/json_text.h"
#include "runtime/digest/digest.h"

namespace doudi {
namespace {

// A log is a regular file: a device (/dev/full, /dev/zero) would be read
// without end, a pipe would wait for a reader forever.
std::string not_regular_file() {
  return bilingual("不是普通文件（是设备、管道或文件夹）", "not a regular file (a device, a pipe or a folder)");
}

// The log's text; `exists` is false for a missing file and for anything but
// a regular file (a device would be read without end, a pipe would block).
std::string read_all(const std::string& path, bool& exists) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    exists = false;
    return {};
  }
  std::ifstream in(path, std::ios::binary);
  exists = static_cast<bool>(in);
  std::ostringstream ss;
  if (in) ss << in.rdbuf();
  return ss.str();
}

// The entry without "hash", closed: what the hash is taken over.
std::string unhashed_entry(uint64_t seq, const std::string& id, const LogFields& f, const std::string& prev) {
  return fmt::format(
      "{{\"seq\":{},\"id\":{},\"batch\":{},\"index\":{},\"month\":{},\"jurisdiction\":{},\"bundle\":{},"
      "\"input\":{},\"input_digest\":{},\"outputs\":{},\"flags\":{},\"error\":{},\"rejected\":{},\"prev\":{}",
      seq, json_quote(id), json_quote(f.batch), f.index, json_quote(f.month), json_quote(f.jurisdiction),
      json_quote(f.bundle), f.input_json, json_quote(f.input_digest), f.outputs_json, f.flags_json, f.error_json,
      f.rejected_json, json_quote(prev));
}

constexpr std::string_view kHashKey = ",\"hash\":\"";

}  // namespace

std::optional<DecisionLog> DecisionLog::open(const std::string& path, bool repair, std::string& error) {
  DecisionLog log;
  log.path_ = path;
  struct stat st {};
  const bool existed = ::stat(path.c_str(), &st) == 0;
  if (existed && !S_ISREG(st.st_mode)) {
    error = not_regular_file();
    return std::nullopt;
  }
  log.fd_ = ::open(path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NONBLOCK, 0644);
  if (log.fd_ < 0) {
    const std::string why = std::strerror(errno);
    error = bilingual("无法打开以追加写入：" + why, "cannot open for appending: " + why);
    return std::nullopt;
  }
  if (::fstat(log.fd_, &st) != 0 || !S_ISREG(st.st_mode)) {  // replaced between the two looks
    error = not_regular_file();
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
  std::string text = read_all(path, exists);
  if (exists && !text.empty() && text.back() != '\n') {
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
  const VerifyResult v = verify_log(path);
  if (exists && !v.ok) {
    error = bilingual(fmt::format("第 {} 条无效：{}", v.bad_entry, in_lang(v.reason, Lang::Zh)),
                      fmt::format("entry {} is not valid: {}", v.bad_entry, in_lang(v.reason, Lang::En)));
    return std::nullopt;
  }
  log.seq_ = v.entries;
  log.last_hash_ = v.entries ? v.head : kGenesisHash;
  std::vector<LogEntry> entries;
  if (exists && !read_log(path, entries, error)) return std::nullopt;
  for (const auto& e : entries) {
    log.batches_.push_back({e.batch, e.index});
    auto it = std::find_if(log.logged_.begin(), log.logged_.end(), [&](const auto& x) { return x.first == e.batch; });
    if (it == log.logged_.end()) it = log.logged_.insert(log.logged_.end(), {e.batch, Logged{}});
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
      batches_(std::move(other.batches_)),
      logged_(std::move(other.logged_)) {}

DecisionLog& DecisionLog::operator=(DecisionLog&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    path_ = std::move(other.path_);
    fd_ = std::exchange(other.fd_, -1);
    seq_ = other.seq_;
    last_hash_ = std::move(other.last_hash_);
    batches_ = std::move(other.batches_);
    logged_ = std::move(other.logged_);
  }
  return *this;
}

DecisionLog::~DecisionLog() {
  if (fd_ >= 0) ::close(fd_);
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
  if (::fsync(fd_) != 0) throw std::runtime_error("cannot sync the decision log");
}

std::string DecisionLog::append(const LogFields& f, bool sync_now) {
  const uint64_t seq = seq_ + 1;
  // Unique and reproducible: it follows from the chain.
  const std::string id = sha256_hex(last_hash_ + f.input_digest + std::to_string(seq)).substr(0, 20);
  const std::string body = unhashed_entry(seq, id, f, last_hash_);
  const std::string hash = sha256_hex(body + "}");
  const std::string line = body + std::string(kHashKey) + hash + "\"}\n";
  // One write of the whole line, then fsync: a crash leaves either the
  // entry or (rarely) a cut-off last line that resume removes.
  const char* p = line.data();
  size_t left = line.size();
  while (left > 0) {
    const ssize_t n = ::write(fd_, p, left);
    if (n < 0) throw std::runtime_error("cannot write the decision log");
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (sync_now) sync();
  seq_ = seq;
  last_hash_ = hash;
  batches_.push_back({f.batch, f.index});
  return id;
}

VerifyResult verify_log(const std::string& path) {
  VerifyResult r;
  r.head = kGenesisHash;
  bool exists = false;
  const std::string text = read_all(path, exists);
  if (!exists) {
    r.ok = false;
    r.reason = bilingual("无法读取日志（不存在，或不是普通文件）", "cannot read the log (missing, or not a regular file)");
    return r;
  }
  std::istringstream in(text);
  std::string line;
  uint64_t n = 0;
  simdjson::dom::parser parser;
  while (std::getline(in, line)) {
    ++n;
    auto fail = [&](const std::string& why) {
      r.ok = false;
      r.bad_entry = n;
      r.reason = why;
      return r;
    };
    if (in.eof() && !text.empty() && text.back() != '\n') return fail(bilingual("最后一行不完整（写入被中断）", "incomplete last line (an interrupted write)"));
    const size_t at = line.rfind(kHashKey);
    if (at == std::string::npos || line.size() < at + kHashKey.size() + 64 + 2) return fail(bilingual("没有哈希", "no hash"));
    const std::string stated = line.substr(at + kHashKey.size(), 64);
    if (line.substr(at + kHashKey.size() + 64) != "\"}") return fail(bilingual("哈希之后还有文字", "text after the hash"));
    if (sha256_hex(line.substr(0, at) + "}") != stated) return fail(bilingual("内容与其哈希不符（被改动）", "its content does not match its hash (edited)"));
    simdjson::dom::element e;
    if (parser.parse(line).get(e) != simdjson::SUCCESS) return fail(bilingual("不是有效的 JSON", "not valid JSON"));
    std::string_view prev;
    int64_t seq = 0;
    if (e["prev"].get_string().get(prev) != simdjson::SUCCESS || e["seq"].get_int64().get(seq) != simdjson::SUCCESS)
      return fail(bilingual("缺少 seq 或 prev", "missing seq or prev"));
    if (prev != r.head) return fail(bilingual("与前一条接不上（有记录被删除、插入或调换）", "it does not follow the entry before it (removed, inserted or reordered)"));
    if (seq != static_cast<int64_t>(n)) return fail(bilingual("序号不在应在的位置", "its sequence number is out of place"));
    r.head = stated;
    r.entries = n;
  }
  return r;
}

bool read_log(const std::string& path, std::vector<LogEntry>& out, std::string& error) {
  bool exists = false;
  const std::string text = read_all(path, exists);
  if (!exists) {
    error = bilingual("无法读取日志", "cannot read the log");
    return false;
  }
  std::istringstream in(text);
  std::string line;
  simdjson::dom::parser parser;
  while (std::getline(in, line)) {
    if (in.eof() && !text.empty() && text.back() != '\n') break;  // an interrupted last write
    simdjson::dom::element e;
    if (parser.parse(line).get(e) != simdjson::SUCCESS) {
      error = bilingual("有一条记录不是有效的 JSON", "an entry is not valid JSON");
      return false;
    }
    LogEntry le;
    try {
      le.seq = static_cast<uint64_t>(int64_t(e["seq"]));
      le.id = std::string(std::string_view(e["id"]));
      le.batch = std::string(std::string_view(e["batch"]));
      le.index = int64_t(e["index"]);
      le.month = std::string(std::string_view(e["month"]));
      le.jurisdiction = std::string(std::string_view(e["jurisdiction"]));
      le.bundle = std::string(std::string_view(e["bundle"]));
      le.input_json = simdjson::minify(e["input"]);
      le.input_digest = std::string(std::string_view(e["input_digest"]));
      le.outputs_json = simdjson::minify(e["outputs"]);
      le.flags_json = simdjson::minify(e["flags"]);
      le.rejected = !e["rejected"].is_null();
      if (!e["error"].is_null()) le.error_code = std::string(std::string_view(e["error"]["code"]));
    } catch (const simdjson::simdjson_error&) {
      error = bilingual(fmt::format("第 {} 条缺少字段", out.size() + 1), fmt::format("entry {} lacks a field", out.size() + 1));
      return false;
    }
    out.push_back(std::move(le));
  }
  return true;
}

}  // namespace doudi
