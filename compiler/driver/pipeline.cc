#include "compiler/driver/pipeline.h"

#include "compiler/lower/lower.h"
#include "compiler/load/module_loader.h"
#include "compiler/sema/checker.h"

namespace doudi {

std::unique_ptr<Compilation> compile(const std::vector<std::string>& paths, const CompileOptions& options) {
  auto c = std::make_unique<Compilation>();
  c->program = load_program(c->sources, paths, c->diags, options.import_roots, options.files);
  if (c->diags.has_errors()) return c;
  check_program(*c->program, c->diags);
  c->diags.sort_by_position();
  if (c->diags.has_errors() || options.until == Stage::Check) return c;
  c->module = lower_program(*c->program);
  return c;
}

std::unique_ptr<Compilation> compile(const std::vector<std::string>& paths, Stage until,
                                     const std::vector<std::string>& import_roots) {
  CompileOptions options;
  options.until = until;
  options.import_roots = import_roots;
  return compile(paths, options);
}

}  // namespace doudi
