#include "runtime/source/read_file.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

namespace doudi {

bool read_source_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return !in.bad();
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
  return Diagnostic{DiagCode::E0007, Span{}, {path, bilingual("文件不存在或无法打开", "no such file or not readable")}, {}};
}

}  // namespace doudi
