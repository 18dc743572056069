#include "runtime/source/cache_dir.h"

#include <cstdlib>

namespace doudi {

std::optional<std::filesystem::path> cache_dir() {
  if (const char* d = std::getenv("DOUDI_CACHE_DIR"); d && *d) return std::filesystem::path(d);
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return std::filesystem::path(x) / "doudi";
  if (const char* h = std::getenv("HOME"); h && *h) return std::filesystem::path(h) / ".cache" / "doudi";
  return std::nullopt;
}

}  // namespace doudi
