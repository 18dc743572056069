#include <fmt/format.h>

#include <set>
#include <tuple>

#include "tools/cli/commands.h"

namespace doudi::cli {

// Each file is checked as the root of its own program (itself and what it
// imports), as `doudi run` would load it: unrelated modules may reuse names.
// A file imported by several roots is reported once.
int cmd_check(const Common& c, const CheckArgs& a) {
  const auto files = expand_paths(a.paths);
  std::set<std::tuple<std::string, uint32_t, uint16_t>> seen;
  std::set<std::string> sources;
  size_t errors = 0, warnings = 0;
  for (const auto& file : files) {
    auto comp = compile({file}, Stage::Check);
    for (size_t i = 0; i < comp->sources.size(); ++i) sources.insert(comp->sources.file(static_cast<FileId>(i)).path());
    for (const auto& d : comp->diags.all()) {
      const std::string path = d.span.valid() ? comp->sources.file(d.span.file).path() : file;
      if (!seen.insert({path, d.span.begin, static_cast<uint16_t>(d.code)}).second) continue;
      *c.err << render(d, comp->sources, c.render()) << '\n';
      errors += d.severity() == Severity::Error;
      warnings += d.severity() == Severity::Warning;
    }
  }
  *c.err << (c.lang == Lang::Zh ? fmt::format("{} 个文件：{} 个错误，{} 个警告\n", sources.size(), errors, warnings)
                                : fmt::format("{} file(s): {} error(s), {} warning(s)\n", sources.size(), errors, warnings));
  return errors == 0 ? 0 : 1;
}

int cmd_ir(const Common& c, const IrArgs& a) {
  auto comp = compile({a.module}, Stage::Lower);
  if (!report(c, *comp)) return 1;
  *c.out << ir::print_module(*comp->module);
  return 0;
}

}  // namespace doudi::cli
