// The records a batch reads: a file, or standard input ("-"). Read once
// through before deciding, to name the batch by the input's digest (a
// resumed batch must be the same input); standard input is kept in an
// unnamed temporary file for that, so memory stays bounded either way.
#pragma once
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>

namespace doudi {

class RecordInput {
 public:
  // None, with `error` in both languages, if the records cannot be read;
  // none also once `stop` is set (checked after each MiB read), for a caller
  // that reads on another thread and no longer needs the input.
  static std::optional<RecordInput> open(const std::string& path, std::string& error,
                                         const std::atomic<bool>* stop = nullptr);

  int fd() const { return fd_; }
  const std::string& digest() const { return digest_; }  // SHA-256 of every byte, hex
  uint64_t size() const { return size_; }

  RecordInput(RecordInput&& other) noexcept;
  RecordInput& operator=(RecordInput&&) = delete;
  RecordInput(const RecordInput&) = delete;
  ~RecordInput();

 private:
  RecordInput() = default;
  int fd_ = -1;
  std::string digest_;
  uint64_t size_ = 0;
};

}  // namespace doudi
