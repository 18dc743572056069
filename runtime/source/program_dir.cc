#include "runtime/source/program_dir.h"

namespace doudi {

std::filesystem::path program_dir() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path() : exe.parent_path();
}

std::filesystem::path installed_library(const char* file) {
  const auto dir = program_dir();
  return dir.empty() ? std::filesystem::path() : dir.parent_path() / "lib" / "doudi" / file;
}

}  // namespace doudi
