#include "runtime/source/read_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace doudi {

// One allocation of the file's size (from fstat), read into directly: a
// stream copied through a growing buffer touched three times the memory,
// and fresh pages are most of a short command's time. Pipes and devices
// (no size) are read in growing steps. A folder cannot be read (EISDIR).
bool read_source_file(const std::string& path, std::string& out) {
  int fd;
  do fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  while (fd < 0 && errno == EINTR);  // a FIFO waits for a writer
  if (fd < 0) return false;
  struct stat st {};
  out.clear();
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) out.resize(static_cast<size_t>(st.st_size));
  size_t have = 0;
  bool ok = true;
  for (;;) {
    // Full (or no size known): is there more? Read into a small buffer
    // first, so that a file of the size fstat gave is never copied.
    char more[4096];
    const bool full = have == out.size();
    const ssize_t n = full ? ::read(fd, more, sizeof more) : ::read(fd, out.data() + have, out.size() - have);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) ok = false;
    if (n <= 0) break;
    if (full) {
      out.resize(std::max(out.size() * 2, have + static_cast<size_t>(n)));
      std::memcpy(out.data() + have, more, static_cast<size_t>(n));
    }
    have += static_cast<size_t>(n);
  }
  ::close(fd);
  out.resize(have);
  return ok;
}

std::string not_a_regular_file() {
  return bilingual("不是普通文件（是设备、管道或文件夹）", "not a regular file (a device, a pipe or a folder)");
}

bool read_regular_file(const std::string& path, std::string& out, std::string& error, long max_bytes) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && (!S_ISREG(st.st_mode) || st.st_size > max_bytes)) {
    error = !S_ISREG(st.st_mode) ? not_a_regular_file()
                                 : bilingual(fmt::format("超过 {} 字节", max_bytes), fmt::format("larger than {} bytes", max_bytes));
    return false;
  }
  if (!read_source_file(path, out)) {
    error = bilingual("不存在或不可读", "no such file, or not readable");
    return false;
  }
  return true;
}

Diagnostic unreadable_file(const std::string& path) {
  struct stat st {};
  const bool folder = ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
  return Diagnostic{DiagCode::E0007, Span{},
                    {path, folder ? bilingual("它是文件夹，不是文件", "it is a folder, not a file")
                                  : bilingual("文件不存在或无法打开", "no such file or not readable")},
                    {}};
}

}  // namespace doudi
