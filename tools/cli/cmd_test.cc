// doudi test: runs every 测试 block (compiler/analysis/run_tests) and prints
// each failure with the trace of what was computed.
#include <fmt/format.h>

#include "doudi/analysis.h"
#include "runtime/explain/explain.h"
#include "tools/cli/commands.h"

namespace doudi::cli {
namespace {

const TraceNode* find_call(const TraceNode& root, uint32_t function) {
  for (const auto& c : root.children)
    if (c->function == function) return c.get();
  return nullptr;
}

void print_failure(const Common& c, const ir::Module& m, const TestResult& t, const TestFailure& f) {
  const bool zh = c.lang == Lang::Zh;
  std::ostream& out = *c.out;
  const std::string head = fmt::format("✗ {}: {}「{}」: ", t.where, zh ? "测试" : "test", t.title);
  const bool constraint = f.constraint != UINT32_MAX;
  const std::string what = constraint ? fmt::format("{}“{}”", zh ? "约束" : "constraint ", m.constraints[f.constraint].label)
                           : f.flag != UINT32_MAX ? fmt::format("{} {}", zh ? "标记" : "flag", m.flags[f.flag].name)
                                                  : m.functions[f.function].name;
  if (f.kind == TestFailure::Kind::Error) {
    out << head << fmt::format("{} {} → {}\n", zh ? "计算" : "evaluating", what, describe_eval_error(m, f.error, c.lang));
    return;
  }
  const uint32_t function = constraint ? m.constraints[f.constraint].function : f.function;
  if (constraint) {
    const char* state = f.actual.a ? (zh ? "成立" : "holds") : (zh ? "不成立" : "is violated");
    out << head << fmt::format("{} {} {}, {} {}{}\n", zh ? "期望" : "expected", what,
                               f.expected.a ? (zh ? "成立" : "to hold") : (zh ? "不成立" : "to be violated"),
                               zh ? "实际" : "but it", state,
                               f.in_force ? "" : (zh ? "（此时此地不适用）" : " (not in force here and then)"));
    if (const TraceNode* node = find_call(f.trace->root(), function)) out << explain_node(m, *node, c.lang, 2);
    return;
  }
  out << head << fmt::format("{} {} = {}, {} {}\n", zh ? "期望" : "expected", what, m.format_value(f.expected, f.type, zh),
                             zh ? "实际" : "actual", m.format_value(f.actual, f.type, zh));
  if (const TraceNode* node = find_call(f.trace->root(), function)) out << explain_node(m, *node, c.lang, 2, t.input);
}

}  // namespace

int cmd_test(const Common& c, const TestArgs& a) {
  const TestReport r = run_tests(expand_paths(a.paths), a.import_roots);
  for (const auto& file : r.files) {
    if (!report(c, *file.compilation)) {
      *c.out << fmt::format("✗ {}: {}\n", file.path, c.pick("无法编译，测试未运行", "does not compile; its tests did not run"));
      continue;
    }
    for (const auto& t : file.tests)
      for (const auto& f : t.failures) print_failure(c, *file.compilation->module, t, f);
  }
  *c.out << fmt::format("{} passed, {} failed\n", r.passed, r.failed);
  return r.failed == 0 ? 0 : 1;
}

}  // namespace doudi::cli
