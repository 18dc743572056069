#include "runtime/batch/record_input.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "runtime/batch/line_chunks.h"
#include "runtime/diag/diagnostic.h"
#include "runtime/diag/system_reason.h"
#include "runtime/digest/digest.h"
#include "runtime/source/read_file.h"

namespace doudi {

struct RecordInput::Digest {
  std::string hex, error;  // one of them, once done
  std::atomic<bool> stop{false};  // the input is closed before the digest is wanted
  std::atomic<bool> hashing{false};  // a thread computes it and has not finished
  std::thread thread;
  // Hashes the first `size` bytes of `fd` (pread: the batch reads the same
  // descriptor meanwhile).
  void compute(int fd, uint64_t size);
};

namespace {

std::string reading_stopped() { return bilingual("已停止读取", "reading stopped"); }

// Reads all of standard input, hashing it, into `to`; its size into `size`.
bool keep_stdin(int to, Sha256Stream& sha, uint64_t& size, std::string& error, const std::atomic<bool>* stop) {
  std::vector<char> block(1 << 20);
  while (true) {
    if (stop && stop->load(std::memory_order_relaxed)) {
      error = reading_stopped();
      return false;
    }
    if (stop) {  // waits for input a tenth of a second at a time: a terminal may never give any
      pollfd in{STDIN_FILENO, POLLIN, 0};
      const int ready = ::poll(&in, 1, 100);
      if (ready < 0 && errno != EINTR) {
        error = system_failure("无法读取：", "cannot read: ", errno);
        return false;
      }
      if (ready <= 0) continue;
    }
    const ssize_t n = ::read(STDIN_FILENO, block.data(), block.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = system_failure("无法读取：", "cannot read: ", errno);
      return false;
    }
    if (n == 0) return true;
    sha.update(std::string_view(block.data(), static_cast<size_t>(n)));
    size += static_cast<uint64_t>(n);
    for (ssize_t done = 0; done < n;) {
      const ssize_t w = ::write(to, block.data() + done, static_cast<size_t>(n - done));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) {
        error = system_failure("无法暂存标准输入：", "cannot keep standard input in a temporary file: ", errno);
        return false;
      }
      done += w;
    }
  }
}

}  // namespace

void RecordInput::Digest::compute(int fd, uint64_t size) {
  Sha256Stream sha;
  std::vector<char> block(1 << 20);
  for (uint64_t at = 0; at < size;) {
    if (stop.load(std::memory_order_relaxed)) {
      error = reading_stopped();
      return;
    }
    const size_t want = static_cast<size_t>(std::min<uint64_t>(block.size(), size - at));
    const ssize_t n = ::pread(fd, block.data(), want, static_cast<off_t>(at));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = system_failure("无法读取：", "cannot read: ", errno);
      return;
    }
    if (n == 0) {
      error = bilingual("文件在读取时变短了（被另一个程序改写？）", "the file got shorter while it was read (rewritten by another program?)");
      return;
    }
    sha.update(std::string_view(block.data(), static_cast<size_t>(n)));
    at += static_cast<uint64_t>(n);
  }
  hex = sha.hex();
}

std::optional<RecordInput> RecordInput::open(const std::string& path, std::string& error, const std::atomic<bool>* stop) {
  if (stop && stop->load()) {
    error = reading_stopped();
    return std::nullopt;
  }
  RecordInput in;
  in.digest_ = std::make_unique<Digest>();
  if (path == "-") {
    const char* dir = std::getenv("TMPDIR");
    in.fd_ = ::open(dir && *dir ? dir : "/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (in.fd_ < 0) {
      error = system_failure("无法建立临时文件：", "cannot make a temporary file: ", errno);
      return std::nullopt;
    }
    Sha256Stream sha;
    if (!keep_stdin(in.fd_, sha, in.size_, error, stop)) return std::nullopt;
    if (::lseek(in.fd_, 0, SEEK_SET) != 0) {
      error = system_failure("无法回到开头：", "cannot go back to the start: ", errno);
      return std::nullopt;
    }
    in.digest_->hex = sha.hex();
    return in;
  }
  // Only a regular file: a device would be read without end, a pipe would
  // be read once for the digest and found empty the second time.
  in.fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  struct stat st {};
  if (in.fd_ < 0) {
    error = system_failure("无法打开：", "cannot open: ", errno);
    return std::nullopt;
  }
  if (::fstat(in.fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
    error = not_a_regular_file();
    return std::nullopt;
  }
  in.size_ = static_cast<uint64_t>(st.st_size);
  Digest& d = *in.digest_;
  d.hashing = true;
  try {
    d.thread = std::thread([fd = in.fd_, size = in.size_, &d] {
      d.compute(fd, size);
      d.hashing = false;
    });
  } catch (const std::system_error&) {  // no thread to be had: hashed when wanted
    d.hashing = false;
  }
  return in;
}

const std::string& RecordInput::digest() const {
  Digest& d = *digest_;
  if (d.thread.joinable()) d.thread.join();
  else if (d.hex.empty() && d.error.empty()) d.compute(fd_, size_);
  if (!d.error.empty()) throw RecordReadError(d.error);
  return d.hex;
}

bool RecordInput::digest_ready() const { return !digest_->hashing; }

RecordInput::RecordInput(RecordInput&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), size_(other.size_), digest_(std::move(other.digest_)) {}

RecordInput::~RecordInput() {
  if (digest_ && digest_->thread.joinable()) {
    digest_->stop = true;
    digest_->thread.join();
  }
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace doudi
