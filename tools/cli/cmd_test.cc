#include <fmt/format.h>

#include "runtime/explain/explain.h"
#include "runtime/interp/interpreter.h"
#include "runtime/value/calendar.h"
#include "tools/cli/commands.h"

namespace doudi::cli {
namespace {

bool same_value(const ir::Module& m, TypeId t, Value a, Value b) {
  const TypeId u = m.types.unwrap(t);
  if (m.types.kind(u) == TypeKind::Text && !a.is_absent() && !b.is_absent()) return a.text() == b.text();
  return a == b;
}

const TraceNode* find_call(const TraceNode& root, uint32_t function) {
  for (const auto& c : root.children)
    if (c->function == function) return c.get();
  return nullptr;
}

}  // namespace

int cmd_test(const Common& c, const TestArgs& a) {
  const bool zh = c.lang == Lang::Zh;
  size_t passed = 0, failed = 0;
  std::ostream& out = *c.out;
  for (const auto& file : expand_paths(a.paths)) {
    auto comp = compile({file}, Stage::Lower);
    if (!report(c, *comp)) {
      out << fmt::format("✗ {}: {}\n", file, zh ? "无法编译，测试未运行" : "does not compile; its tests did not run");
      ++failed;
      continue;
    }
    const Program& p = *comp->program;
    const ir::Module& m = *comp->module;
    Interpreter interp(m);
    for (const auto& t : p.tests) {
      if (t.module != p.root_module) continue;  // imported modules' tests run with their own file
      const auto& decl = *t.decl;
      const auto lc = p.sm.file(decl.name.span.file).line_col(decl.name.span.begin);
      const std::string where = fmt::format("{}:{}", p.sm.file(decl.name.span.file).path(), lc.line);
      interp.set_context(t.jurisdiction, decl.month, t.param_overrides);
      bool ok = true;
      for (const auto& ex : t.expectations) {
        if (ex.constraint != kNone) {
          const auto& con = m.constraints[ex.constraint];
          bool in_force = false;
          EvalError error{};
          TraceRecorder trace;
          auto holds = interp.check_constraint(ex.constraint, in_force, error, &trace);
          const std::string what = fmt::format("{}“{}”", zh ? "约束" : "constraint ", con.label);
          if (!holds) {
            out << fmt::format("✗ {}: {}「{}」: {} {} → {}\n", where, zh ? "测试" : "test", decl.name.text,
                               zh ? "计算" : "evaluating", what, describe_eval_error(m, error, c.lang));
            ok = false;
            continue;
          }
          if (*holds == (ex.value.a != 0)) continue;
          ok = false;
          const char* state = *holds ? (zh ? "成立" : "holds") : (zh ? "不成立" : "is violated");
          out << fmt::format("✗ {}: {}「{}」: {} {} {}, {} {}{}\n", where, zh ? "测试" : "test", decl.name.text,
                             zh ? "期望" : "expected", what,
                             ex.value.a ? (zh ? "成立" : "to hold") : (zh ? "不成立" : "to be violated"),
                             zh ? "实际" : "but it", state,
                             in_force ? "" : (zh ? "（此时此地不适用）" : " (not in force here and then)"));
          if (const TraceNode* node = find_call(trace.root(), con.function)) out << explain_node(m, *node, c.lang, 2);
          continue;
        }
        const bool is_flag = ex.flag != kNone;
        const uint32_t fn = is_flag ? m.flags[ex.flag].function : ex.function;
        const TypeId type = is_flag ? TypeTable::kBool : m.functions[fn].result;
        TraceRecorder trace;
        EvalError error{};
        auto got = interp.evaluate_function(t.input, fn, error, &trace);
        const std::string what = is_flag ? fmt::format("{} {}", zh ? "标记" : "flag", m.flags[ex.flag].name)
                                         : m.functions[fn].name;
        if (!got) {
          out << fmt::format("✗ {}: {}「{}」: {} {} → {}\n", where, zh ? "测试" : "test", decl.name.text,
                             zh ? "计算" : "evaluating", what, describe_eval_error(m, error, c.lang));
          ok = false;
          continue;
        }
        if (same_value(m, type, *got, ex.value)) continue;
        ok = false;
        out << fmt::format("✗ {}: {}「{}」: {} {} = {}, {} {}\n", where, zh ? "测试" : "test", decl.name.text,
                           zh ? "期望" : "expected", what, m.format_value(ex.value, type, zh), zh ? "实际" : "actual",
                           m.format_value(*got, type, zh));
        if (const TraceNode* node = find_call(trace.root(), fn)) out << explain_node(m, *node, c.lang, 2, &t.input);
      }
      ok ? ++passed : ++failed;
    }
  }
  out << fmt::format("{} passed, {} failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}


}  // namespace doudi::cli
