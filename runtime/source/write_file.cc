#include "runtime/source/write_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>

#include "runtime/diag/diagnostic.h"
#include "runtime/diag/system_reason.h"

namespace doudi {

bool write_file_atomically(const std::string& given, std::string_view text, std::string& error,
                           unsigned new_file_mode) {
  // A symbolic link keeps pointing at the file: the file it names is replaced.
  std::error_code ec;
  const auto resolved = std::filesystem::canonical(given, ec);
  const std::string path = ec ? given : resolved.string();
  auto fail = [&](const char* zh, const char* en, int err) {
    error = system_failure(zh, en, err);
    return false;
  };
  // Keep the target's permissions (a policy file's group may read it).
  struct stat st {};
  const mode_t mode = ::stat(path.c_str(), &st) == 0 ? (st.st_mode & 07777) : static_cast<mode_t>(new_file_mode);
  const std::string tmp = path + ".doudi-tmp-" + std::to_string(::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return fail("创建临时文件：", "creating a temporary file: ", errno);
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = n < 0 ? errno : EIO;
      ::close(fd);
      ::unlink(tmp.c_str());
      return fail("", "", err);
    }
    done += static_cast<size_t>(n);
  }
  const int synced = ::fsync(fd) == 0 ? 0 : errno;
  const int closed = ::close(fd) == 0 ? 0 : errno;
  if (synced || closed) {
    ::unlink(tmp.c_str());
    return fail("", "", synced ? synced : closed);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    return fail("替换原文件：", "replacing the file: ", err);
  }
  return true;
}

}  // namespace doudi
