#include "runtime/digest/cache_key.h"


#include <cstdlib>

#include "runtime/diag/diagnostic.h"
#include "runtime/digest/digest.h"
#include "runtime/digest/signature.h"
#include "runtime/source/read_file.h"
#include "runtime/source/write_file.h"

namespace doudi {

std::optional<std::filesystem::path> cache_key_path() {
  if (const char* k = std::getenv("DOUDI_CACHE_KEY"); k && *k) return std::filesystem::path(k);
  if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x) return std::filesystem::path(x) / "doudi" / "proof-cache.key";
  if (const char* h = std::getenv("HOME"); h && *h) return std::filesystem::path(h) / ".config" / "doudi" / "proof-cache.key";
  return std::nullopt;
}

std::string load_or_make_cache_key(std::string& error) {
  const auto path = cache_key_path();
  if (!path) {
    error = "no place for the cache's key (set DOUDI_CACHE_KEY, XDG_CONFIG_HOME or HOME)";
    return "";
  }
  std::string text, why;
  if (!std::filesystem::exists(*path)) {
    const auto key = random_hex(32);
    if (!key) {
      error = "no random bytes for the cache's key";
      return "";
    }
    std::error_code ec;
    std::filesystem::create_directories(path->parent_path(), ec);
    if (!write_file_atomically(path->string(), *key, why, 0600)) {
      error = "cannot make the cache's key " + path->string() + ": " + in_lang(why, Lang::En);
      return "";
    }
  }
  if (!read_regular_file(path->string(), text, why, kMaxKeyFileBytes) || text.size() < 32) {
    error = "cannot use the cache's key " + path->string() + (why.empty() ? ": too short" : ": " + in_lang(why, Lang::En));
    return "";
  }
  return text;
}

}  // namespace doudi
