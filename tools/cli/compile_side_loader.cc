// compile_side (compile_side.h): the compile side linked in, else
// libdoudi_compile.so loaded with dlopen on first use.
#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>

#include "runtime/diag/system_reason.h"
#include "runtime/source/build_id.h"
#include "runtime/source/program_dir.h"
#include "tools/cli/compile_side.h"

namespace doudi::cli {
namespace {

struct Loaded {
  const CompileSide* side = nullptr;
  std::string path, error;  // error: why it could not be loaded
};

// The installed layout (bin/doudi beside lib/doudi/libdoudi_compile.so);
// the build's own copy, for the program in the build folder only (an
// installed doudi must not pick up a library rebuilt since).
std::string library_path() {
  const std::filesystem::path built = DOUDI_COMPILE_LIBRARY_PATH;
  const auto installed = installed_library("libdoudi_compile.so");
  if (installed.empty()) return built.string();
  std::error_code ec;
  if (std::filesystem::exists(installed, ec)) return installed.string();
  if (std::filesystem::equivalent(program_dir(), built.parent_path(), ec)) return built.string();
  return installed.string();  // not there: E0019 names where it belongs
}

Loaded load(const std::string& path) {
  Loaded l;
  l.path = path;
  // RTLD_LOCAL: the library's own copy of the runtime stays its own.
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    l.error = load_failure(path);
    return l;
  }
  using Entry = const CompileSide* (*)(int);
  const auto entry = reinterpret_cast<Entry>(dlsym(handle, "doudi_compile_side"));
  if (!entry) {
    l.error = bilingual("它不是 Doudi 的编译部分（缺少入口）", "it is not Doudi's compile side (its entry point is missing)");
    dlclose(handle);
    return l;
  }
  const std::string expected = compile_side_expected_build();
  const std::string id = build_id(reinterpret_cast<const void*>(entry));
  if (!expected.empty() && id != expected) {
    l.error = bilingual("它属于另一次构建的 doudi（构建标识 " + (id.empty() ? "无" : id) + "，本程序要求 " + expected + "）",
                        "it belongs to another build of doudi (build id " + (id.empty() ? "none" : id) +
                            "; this program needs " + expected + ")");
    dlclose(handle);
    return l;
  }
  l.side = entry(kCompileSideAbi);
  if (!l.side) l.error = bilingual("它属于另一版本的 doudi", "it belongs to another version of doudi");
  return l;
}

}  // namespace

const CompileSide* compile_side(const Common& c) {
  const char* chosen = std::getenv("DOUDI_COMPILE_LIBRARY");
  const bool named = chosen && *chosen;
  if (!named)
    if (const CompileSide* linked = compile_side_in_process()) return linked;
  // Loaded once per path (a test may point DOUDI_COMPILE_LIBRARY elsewhere).
  static std::mutex mutex;
  static std::map<std::string, Loaded> loaded;
  const std::string path = named ? chosen : library_path();
  std::lock_guard lock(mutex);
  const auto found = loaded.find(path);
  const Loaded& l = found != loaded.end() ? found->second : loaded.emplace(path, load(path)).first->second;
  if (!l.side) report_plain(c, DiagCode::E0019, {l.path, l.error});
  return l.side;
}

const CompileSide* solver_for(const Common& c, const RunArgs& a, const std::shared_ptr<const Compilation>& compilation) {
  if (!compilation || !compilation->program) {
    report_all(c, {Diagnostic{DiagCode::E3005, Span{}, {a.module, a.why_not.empty() ? "--thresholds" : "--why-not"}, {}}});
    return nullptr;
  }
  return compile_side(c);
}

}  // namespace doudi::cli
