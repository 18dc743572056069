#include "compiler/analysis/run_tests.h"

#include <fmt/format.h>

namespace doudi {
namespace {

bool same_value(const ir::Module& m, TypeId t, Value a, Value b) {
  const TypeId u = m.types.unwrap(t);
  if (m.types.kind(u) == TypeKind::Text && !a.is_absent() && !b.is_absent()) return a.text() == b.text();
  return a == b;
}

// One expectation of a test; nullopt when it holds.
std::optional<TestFailure> run_expectation(const ir::Module& m, Interpreter& interp, const TestInfo& t,
                                           const TestInfo::Expectation& ex) {
  auto trace = std::make_shared<TraceRecorder>();
  TestFailure f;
  f.trace = trace;
  if (ex.constraint != kNone) {
    f.constraint = ex.constraint;
    f.type = TypeTable::kBool;
    auto holds = interp.check_constraint(ex.constraint, f.in_force, f.error, trace.get());
    if (!holds) return f;
    if (*holds == (ex.value.a != 0)) return std::nullopt;
    f.kind = TestFailure::Kind::Mismatch;
    f.expected = ex.value;
    f.actual = Value{*holds ? 1 : 0, 0};
    return f;
  }
  const bool is_flag = ex.flag != kNone;
  f.flag = is_flag ? ex.flag : UINT32_MAX;
  f.function = is_flag ? m.flags[ex.flag].function : ex.function;
  f.type = is_flag ? TypeTable::kBool : m.functions[f.function].result;
  auto got = interp.evaluate_function(t.input, f.function, f.error, trace.get());
  if (!got) return f;
  if (same_value(m, f.type, *got, ex.value)) return std::nullopt;
  f.kind = TestFailure::Kind::Mismatch;
  f.expected = ex.value;
  f.actual = *got;
  return f;
}

}  // namespace

TestReport run_tests(const std::vector<std::string>& files, const std::vector<std::string>& import_roots) {
  CompileOptions options;
  options.import_roots = import_roots;
  return run_tests(files, std::move(options));
}

TestReport run_tests(const std::vector<std::string>& files, CompileOptions options) {
  options.until = Stage::Lower;
  TestReport report;
  for (const auto& file : files) {
    TestFile& tf = report.files.emplace_back(TestFile{file, compile({file}, options), {}});
    if (!tf.compilation->ok()) {
      ++report.failed;
      continue;
    }
    const Program& p = *tf.compilation->program;
    const ir::Module& m = *tf.compilation->module;
    Interpreter interp(m);
    for (const auto& t : p.tests) {
      if (t.module != p.root_module) continue;  // imported modules' tests run with their own file
      const auto& decl = *t.decl;
      const auto lc = p.sm.file(decl.name.span.file).line_col(decl.name.span.begin);
      TestResult& result = tf.tests.emplace_back(
          TestResult{decl.name.text, fmt::format("{}:{}", p.sm.file(decl.name.span.file).path(), lc.line), &t.input, {}});
      interp.set_context(t.jurisdiction, decl.month, t.param_overrides);
      for (const auto& ex : t.expectations)
        if (auto failure = run_expectation(m, interp, t, ex)) result.failures.push_back(std::move(*failure));
      result.failures.empty() ? ++report.passed : ++report.failed;
    }
  }
  return report;
}

}  // namespace doudi
