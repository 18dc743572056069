#include "compiler/analysis/test_failure_text.h"

#include <fmt/format.h>

#include "runtime/explain/explain.h"

namespace doudi {
namespace {

const TraceNode* find_call(const TraceNode& root, uint32_t function) {
  for (const auto& c : root.children)
    if (c->function == function) return c.get();
  return nullptr;
}

}  // namespace

std::string test_failure_text(const ir::Module& m, const TestResult& t, const TestFailure& f, Lang lang) {
  const bool zh = lang == Lang::Zh;
  std::string out;
  const std::string head = fmt::format("✗ {}: {}「{}」: ", t.where, zh ? "测试" : "test", t.title);
  const bool constraint = f.constraint != UINT32_MAX;
  const std::string what = constraint ? fmt::format("{}“{}”", zh ? "约束" : "constraint ", m.constraints[f.constraint].label)
                           : f.flag != UINT32_MAX ? fmt::format("{} {}", zh ? "标记" : "flag", m.flags[f.flag].name)
                                                  : m.functions[f.function].name;
  if (f.kind == TestFailure::Kind::Error) {
    out += head + fmt::format("{} {} → {}\n", zh ? "计算" : "evaluating", what, describe_eval_error(m, f.error, lang));
    return out;
  }
  const uint32_t function = constraint ? m.constraints[f.constraint].function : f.function;
  if (constraint) {
    const char* state = f.actual.a ? (zh ? "成立" : "holds") : (zh ? "不成立" : "is violated");
    out += head + fmt::format("{} {} {}, {} {}{}\n", zh ? "期望" : "expected", what,
                              f.expected.a ? (zh ? "成立" : "to hold") : (zh ? "不成立" : "to be violated"),
                              zh ? "实际" : "but it", state,
                              f.in_force ? "" : (zh ? "（此时此地不适用）" : " (not in force here and then)"));
    if (const TraceNode* node = find_call(f.trace->root(), function)) out += explain_node(m, *node, lang, 2);
    return out;
  }
  out += head + fmt::format("{} {} = {}, {} {}\n", zh ? "期望" : "expected", what, m.format_value(f.expected, f.type, zh),
                            zh ? "实际" : "actual", m.format_value(f.actual, f.type, zh));
  if (const TraceNode* node = find_call(f.trace->root(), function)) out += explain_node(m, *node, lang, 2, t.input);
  return out;
}

}  // namespace doudi
