// The records a batch reads: a file, or standard input ("-"). The batch is
// named by the input's digest (a resumed batch must be the same input). A
// file is hashed on a thread of its own while its records are decided: the
// digest names only the batch's context line, which the log's first line
// of the batch waits for, and no decision does (log_format.h). Standard
// input is kept in an unnamed temporary file and hashed as it is kept, so
// memory stays bounded either way.
#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace doudi {

class RecordInput {
 public:
  // None, with `error` in both languages, if the records cannot be opened
  // (or standard input cannot be kept); none also once `stop` is set
  // (checked after each MiB kept), for a caller that opens on another
  // thread and no longer needs the input.
  static std::optional<RecordInput> open(const std::string& path, std::string& error,
                                         const std::atomic<bool>* stop = nullptr);

  int fd() const { return fd_; }
  // The bytes the batch reads and the digest covers: a file's size when it
  // was opened, or all of standard input.
  uint64_t size() const { return size_; }
  // SHA-256 of those bytes, hex; waits for it. Throws RecordReadError if the
  // file could not be read through (or got shorter meanwhile). From one
  // thread at a time (the first call joins the hashing thread).
  const std::string& digest() const;
  // Whether digest() would return (or throw) without waiting for a thread
  // hashing the input: once it is hashed, or when no thread hashes it
  // (digest() then hashes it on the caller's thread, and waiting for that
  // gains nothing). From any thread.
  bool digest_ready() const;

  RecordInput(RecordInput&& other) noexcept;
  RecordInput& operator=(RecordInput&&) = delete;
  RecordInput(const RecordInput&) = delete;
  ~RecordInput();

 private:
  RecordInput() = default;
  struct Digest;  // where its thread leaves it; not moved while that runs
  int fd_ = -1;
  uint64_t size_ = 0;
  std::unique_ptr<Digest> digest_;
};

}  // namespace doudi
