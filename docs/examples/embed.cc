// Embedding Doudi: compile rules from a string, decide a household, and get
// the explanation as JSON and as text. Built and run by the test suite
// (tests/CMakeLists.txt, `embedding_example`); docs/embedding.md walks
// through it.
#include <iostream>

#include "doudi/compiler.h"
#include "doudi/engine.h"
#include "runtime/explain/explain_formats.h"

namespace {

// Rules as a program would hold them: typed into a console, kept in a
// database, or an editor's unsaved buffer.
constexpr const char* kRules = R"(语言 中文
模块 示例.补助
结构 人 { 年龄 : 整数, 收入 : 元/月 = 0 元/月 }
结构 户 { 成员 : 列表<人> }
输入 户 : 户
辖区 国家 {}
参数 标准 : 元/月 = 500 元/月 【示例文件 第一条】
参数 比例上浮 : 比例 = 20% 【示例文件 第二条】
定义 总收入 : 元/月 = 合计 m 属于 户.成员 : m.收入 【示例文件 第一条】
规则 补助 : 元/月
  默认 = 0 元/月 【示例文件 第一条】
  例外 一般 当 总收入 < 标准 则 标准 − 总收入 【示例文件 第一条】
  例外 老人 优先于 一般 当 存在 m 属于 户.成员 : m.年龄 ≥ 60 则 标准 × (1 + 比例上浮) − 总收入 【示例文件 第二条】
)";

constexpr const char* kHousehold = R"({"成员": [{"年龄": 63, "收入": 100}, {"年龄": 35}]})";

}  // namespace

int main() {
  using namespace doudi;
  // 1. Compile from text. The path names the buffer in diagnostics and
  //    decides where imports would be looked for; no file is read.
  std::shared_ptr<const Compilation> compilation = compile_text("example.doudi", kRules);
  if (!compilation->ok()) {
    std::cerr << render_all(compilation->diags, compilation->sources, RenderOptions{Lang::En});
    return 1;
  }
  // 2. The rule set (its IR verified) and a decision context: where and
  //    when. Errors are data.
  std::vector<Diagnostic> errors;
  std::shared_ptr<const RuleSet> rules = rule_set(compilation, errors);
  if (!rules) {
    for (const auto& e : errors) std::cerr << render(e, compilation->sources, RenderOptions{Lang::En});
    return 1;
  }
  const auto context = rules->context("国家", "2024-03", errors);
  if (!context) {
    for (const auto& e : errors) std::cerr << render(e, compilation->sources, RenderOptions{Lang::En});
    return 1;
  }

  // 3. Load the household (validated against the schema) and decide it,
  //    recording the trace for the explanation.
  const LoadedRecord household = load_household(*rules, kHousehold);
  if (!household.ok()) {
    std::cerr << render_record_problems(household.problems, "household", kHousehold, RenderOptions{Lang::En});
    return 1;
  }
  auto engine = make_interpreter(rules);
  engine->set_context(*context);
  TraceRecorder trace;
  const Decision decision = engine->decide(household.data, &trace);

  // 4. The decision as JSON, the explanation as JSON (for programs) and as
  //    text (for people).
  std::cout << decision_json(rules->module(), context->jurisdiction_name, context->month, decision, Lang::Zh) << "\n";
  std::cout << explain_json(rules->module(), trace.root()) << "\n";
  std::cout << explain_decision(rules->module(), decision, trace.root(), Lang::Zh, &household.data);
  return decision.error ? 3 : 0;
}
