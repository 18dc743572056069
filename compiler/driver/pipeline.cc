#include "compiler/driver/pipeline.h"

#include "compiler/lower/lower.h"
#include "compiler/resolve/module_loader.h"
#include "compiler/types/checker.h"

namespace doudi {

std::unique_ptr<Compilation> compile(const std::vector<std::string>& paths, Stage until,
                                     const std::vector<std::string>& import_roots) {
  auto c = std::make_unique<Compilation>();
  c->program = load_program(c->sources, paths, c->diags, import_roots);
  if (c->diags.has_errors()) return c;
  check_program(*c->program, c->diags);
  c->diags.sort_by_position();
  if (c->diags.has_errors() || until == Stage::Check) return c;
  c->module = lower_program(*c->program);
  return c;
}

}  // namespace doudi
