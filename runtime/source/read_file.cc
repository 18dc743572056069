#include "runtime/source/read_file.h"

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

Diagnostic unreadable_file(const std::string& path) {
  return Diagnostic{DiagCode::E0007, Span{}, {path, bilingual("文件不存在或无法打开", "no such file or not readable")}, {}};
}

}  // namespace doudi
