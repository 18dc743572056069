#include "compiler/driver/pipeline.h"

#include <cstdio>
#include <cstdlib>

#include "compiler/lower/lower.h"
#include "compiler/load/module_loader.h"
#include "compiler/sema/checker.h"
#include "runtime/ir/verify.h"

namespace doudi {
namespace {

// Lowering must produce IR the interpreter can trust; invalid IR after
// lowering is a compiler bug, not the user's, and nothing after it is safe.
[[maybe_unused]] void check_lowered(const ir::Module& m) {
  const auto problems = ir::verify_module(m);
  if (problems.empty()) return;
  std::fprintf(stderr, "internal compiler error: lowering `%s` produced invalid IR\n", m.name.c_str());
  for (const auto& p : problems) std::fprintf(stderr, "  %s\n", ir::describe_problem(m, p).c_str());
  std::fprintf(stderr, "please report this with the rule files that caused it\n");
  std::abort();
}

}  // namespace

std::unique_ptr<Compilation> compile(const std::vector<std::string>& paths, const CompileOptions& options) {
  auto c = std::make_unique<Compilation>();
  c->program = load_program(c->sources, paths, c->diags, options.import_roots, options.files);
  if (c->diags.has_errors()) return c;
  check_program(*c->program, c->diags);
  c->diags.sort_by_position();
  if (c->diags.has_errors() || options.until == Stage::Check) return c;
  c->module = lower_program(*c->program);
#ifndef NDEBUG
  check_lowered(*c->module);
#endif
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
