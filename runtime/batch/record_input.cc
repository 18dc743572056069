#include "runtime/batch/record_input.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <utility>
#include <vector>

#include "runtime/diag/diagnostic.h"
#include "runtime/diag/system_reason.h"
#include "runtime/digest/digest.h"
#include "runtime/source/read_file.h"

namespace doudi {
namespace {

// Reads all of `from`, hashing it, and copies it to `to` unless that is -1.
bool hash_all(int from, int to, Sha256Stream& sha, uint64_t& size, std::string& error, const std::atomic<bool>* stop) {
  std::vector<char> block(1 << 20);
  while (true) {
    if (stop && stop->load(std::memory_order_relaxed)) {
      error = bilingual("已停止读取", "reading stopped");
      return false;
    }
    const ssize_t n = ::read(from, block.data(), block.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = system_failure("无法读取：", "cannot read: ", errno);
      return false;
    }
    if (n == 0) return true;
    sha.update(std::string_view(block.data(), static_cast<size_t>(n)));
    size += static_cast<uint64_t>(n);
    for (ssize_t done = 0; to >= 0 && done < n;) {
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

std::optional<RecordInput> RecordInput::open(const std::string& path, std::string& error, const std::atomic<bool>* stop) {
  RecordInput in;
  Sha256Stream sha;
  if (path == "-") {
    const char* dir = std::getenv("TMPDIR");
    in.fd_ = ::open(dir && *dir ? dir : "/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (in.fd_ < 0) {
      error = system_failure("无法建立临时文件：", "cannot make a temporary file: ", errno);
      return std::nullopt;
    }
    if (!hash_all(STDIN_FILENO, in.fd_, sha, in.size_, error, stop)) return std::nullopt;
  } else {
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
    if (!hash_all(in.fd_, -1, sha, in.size_, error, stop)) return std::nullopt;
  }
  if (::lseek(in.fd_, 0, SEEK_SET) != 0) {
    error = system_failure("无法回到开头：", "cannot go back to the start: ", errno);
    return std::nullopt;
  }
  in.digest_ = sha.hex();
  return in;
}

RecordInput::RecordInput(RecordInput&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), digest_(std::move(other.digest_)), size_(other.size_) {}

RecordInput::~RecordInput() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace doudi
