#include "tools/cli/module_source.h"

#include "compiler/resolve/module_loader.h"
#include "runtime/bundle/bundle.h"

namespace doudi::cli {

bool load_module(const Common& c, const std::string& path, ModuleSource& out,
                 const std::vector<std::string>& import_roots) {
  std::string text;
  if (!read_source_file(path, text)) {
    report_plain(c, DiagCode::E0007, {path, bilingual("文件不存在或无法打开", "no such file or not readable")});
    return false;
  }
  if (looks_like_bundle(text)) {
    std::string error;
    out.bundle = read_bundle(text, out.digest, error);
    if (!out.bundle) {
      report_plain(c, DiagCode::E4001, {path, error});
      return false;
    }
    out.module = &*out.bundle;
    return true;
  }
  out.compilation = compile({path}, Stage::Lower, import_roots);
  if (!report(c, *out.compilation)) return false;
  out.module = &*out.compilation->module;
  out.digest = module_digest(*out.module);
  return true;
}

}  // namespace doudi::cli
