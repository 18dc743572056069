#include <fmt/format.h>

#include "tools/cli/commands.h"

namespace doudi::cli {

int cmd_check(const Common& c, const CheckArgs& a) {
  const auto files = expand_paths(a.paths);
  auto comp = compile(files, Stage::Check);
  const bool ok = report(c, *comp);
  size_t warnings = 0;
  for (const auto& d : comp->diags.all()) warnings += d.severity() == Severity::Warning;
  *c.err << (c.lang == Lang::Zh ? fmt::format("{} 个文件：{} 个错误，{} 个警告\n", comp->sources.size(),
                                              comp->diags.error_count(), warnings)
                                : fmt::format("{} file(s): {} error(s), {} warning(s)\n", comp->sources.size(),
                                              comp->diags.error_count(), warnings));
  return ok ? 0 : 1;
}

int cmd_ir(const Common& c, const IrArgs& a) {
  auto comp = compile({a.module}, Stage::Lower);
  if (!report(c, *comp)) return 1;
  *c.out << ir::print_module(*comp->module);
  return 0;
}

}  // namespace doudi::cli
