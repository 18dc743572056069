// The public API as an embedder uses it: compiling from in-memory buffers,
// decision contexts, the engine, cancelling an analysis, test reports.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <numeric>
#include <set>

#include <fmt/format.h>

#include "doudi/analysis.h"
#include "doudi/compiler.h"
#include "doudi/engine.h"
#include "runtime/bundle/bundle.h"
#include "runtime/interp/interpreter.h"
#include "runtime/interp/trace.h"
#include "runtime/source/read_file.h"

namespace fs = std::filesystem;
using namespace doudi;

namespace {

// A county's deployment as an editor holds it, unsaved: it imports the
// policy from disk by module name.
constexpr const char* kDeployment = R"(语言 中文
模块 部署.编辑中
引用 会宁县.城镇低保
辖区 会宁县 {
  城市低保标准 = 690 元/月 自 2022-01-01 【示例】
  渐退期 = 6 个月 【示例】
  农村低保标准 = 375 元/月 自 2022-01-01 【示例】
}
)";

std::string household() {
  std::string json;
  REQUIRE(read_source_file("stdlib-policies/huining/households/edge_disabled.json", json));
  return json;
}

std::string output(const RuleSet& rules, const Decision& d, const std::string& name) {
  const auto& m = rules.module();
  for (size_t i = 0; i < m.outputs.size(); ++i)
    if (m.outputs[i].name == name) return m.format_value(d.outputs[i], m.functions[m.outputs[i].function].result, true);
  return "?";
}

// The unsaved deployment compiled from memory, the edge household loaded,
// and an interpreter set to 会宁县, 2022-06.
struct CountyEngine {
  std::shared_ptr<const RuleSet> rules;
  LoadedRecord record;
  std::unique_ptr<Engine> engine;
};

CountyEngine county_engine() {
  fs::current_path(DOUDI_SOURCE_DIR);
  auto compilation = std::shared_ptr<const Compilation>(compile_text("stdlib-policies/unsaved_county.doudi", kDeployment));
  REQUIRE(compilation->ok());
  std::vector<Diagnostic> errors;
  auto rules = rule_set(compilation, errors);
  REQUIRE(rules);
  CHECK(errors.empty());
  const auto context = rules->context("会宁县", "2022-06", errors);
  REQUIRE(context);
  LoadedRecord record = load_household(*rules, household());
  REQUIRE(record.ok());
  auto engine = make_interpreter(rules);
  engine->set_context(*context);
  return CountyEngine{rules, std::move(record), std::move(engine)};
}

}  // namespace

TEST_CASE("a buffer compiles with imports found on disk, and decides like the file") {
  auto [rules, record, engine] = county_engine();
  CHECK_FALSE(fs::exists("stdlib-policies/unsaved_county.doudi"));
  const Decision d = engine->decide(record.data);
  REQUIRE_FALSE(d.error);
  CHECK(output(*rules, d, "月低保金") == "828 元/月");
}

TEST_CASE("a buffer replaces the file at its path, and module lookup finds buffers") {
  fs::current_path(DOUDI_SOURCE_DIR);
  CompileOptions options;
  // The policy on disk raises a disabled member's standard by 20%; the
  // unsaved buffer over it by 30%.
  std::string policy;
  REQUIRE(read_source_file("stdlib-policies/huining/urban_dibao.doudi", policy));
  const auto at = policy.find("比例 = 20%");
  REQUIRE(at != std::string::npos);
  policy.replace(at, std::string("比例 = 20%").size(), "比例 = 30%");
  options.files.set_buffer("stdlib-policies/huining/urban_dibao.doudi", policy);
  // A second buffer, imported by module name from the first (which fails
  // with E0103 unless lookup finds it).
  options.files.set_buffer("stdlib-policies/unsaved_values.doudi",
                           "语言 中文\n模块 部署.取值\n引用 会宁县.城镇低保\n辖区 会宁县 {\n"
                           "  城市低保标准 = 690 元/月 自 2022-01-01 【示例】\n  渐退期 = 6 个月 【示例】\n}\n");
  auto compilation = std::shared_ptr<const Compilation>(compile_text(
      "stdlib-policies/unsaved_county.doudi", "语言 中文\n模块 部署.编辑中\n引用 会宁县.城镇低保\n引用 部署.取值\n", options));
  REQUIRE(compilation->ok());
  std::vector<Diagnostic> errors;
  auto rules = rule_set(compilation, errors);
  REQUIRE(rules);
  CHECK(errors.empty());
  auto engine = make_interpreter(rules);
  engine->set_context(*rules->context("会宁县", "2022-06", errors));
  const Decision d = engine->decide(load_household(*rules, household()).data);
  REQUIRE_FALSE(d.error);
  // 690 × 1.3 instead of 690 × 1.2: the buffer, not the disk, was compiled.
  CHECK(output(*rules, d, "月低保金") == "897 元/月");
}

TEST_CASE("an unknown jurisdiction or month is an error as data, with a suggestion") {
  fs::current_path(DOUDI_SOURCE_DIR);
  auto loaded = load_rules("stdlib-policies/huining/urban_dibao.doudi");
  REQUIRE(loaded.rules);
  std::vector<Diagnostic> errors;
  CHECK_FALSE(loaded.rules->context("会宁", "2022-06", errors));
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].code == DiagCode::E0106);
  CHECK(errors[1].code == DiagCode::N0402);
  CHECK(errors[1].args.at(0) == "会宁县");
  errors.clear();
  CHECK_FALSE(loaded.rules->context("会宁县", "2022-13", errors));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].code == DiagCode::E3001);
}

TEST_CASE("a rule set read from a bundle has the compiled rule set's digest") {
  fs::current_path(DOUDI_SOURCE_DIR);
  auto loaded = load_rules("stdlib-policies/huining/urban_dibao.doudi");
  REQUIRE(loaded.rules);
  std::vector<Diagnostic> errors;
  auto from_bundle = RuleSet::from_bundle(write_bundle(loaded.rules->module()), "memory", errors);
  REQUIRE(from_bundle);
  CHECK(from_bundle->digest() == loaded.rules->digest());
  CHECK_FALSE(RuleSet::from_bundle("{\"format\": \"doudi-bundle/1\"}", "memory", errors));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].code == DiagCode::E4001);
  CHECK(errors[0].args.at(0) == "memory");
}

TEST_CASE("a cancelled check stops before proving and says so") {
  fs::current_path(DOUDI_SOURCE_DIR);
  CheckOptions options;
  options.no_cache = true;
  const std::atomic<bool> cancel{true};
  options.cancel = &cancel;
  const CheckReport r = check_files({"stdlib-policies/huining/urban_dibao.doudi"}, options);
  CHECK(r.cancelled);
  CHECK(r.rules == 0);
  const std::atomic<bool> go_on{false};
  options.cancel = &go_on;
  const CheckReport full = check_files({"stdlib-policies/huining/urban_dibao.doudi"}, options);
  CHECK_FALSE(full.cancelled);
  CHECK(full.rules > 0);
  CHECK(full.errors == 0);
}

TEST_CASE("a cancelled diff leaves outputs undecided and says so") {
  fs::current_path(DOUDI_SOURCE_DIR);
  CompareReport r = compile_versions("tests/diff/old.doudi", "tests/diff/new.doudi", {});
  REQUIRE(r.compiled);
  CompareOptions options;
  options.no_cache = true;
  const std::atomic<bool> cancel{true};
  options.cancel = &cancel;
  compare_versions(r, options);
  CHECK(r.diff.cancelled);
  size_t in_both = 0;
  for (const auto& d : r.diff.outputs)
    if (d.old_function != UINT32_MAX && d.new_function != UINT32_MAX) {
      ++in_both;
      CHECK(d.status == OutputDiff::Status::Undecided);
    }
  CHECK(in_both > 0);
}

TEST_CASE("the test runner reports failures as data with their trace") {
  fs::current_path(DOUDI_SOURCE_DIR);
  const TestReport r = run_tests({"tests/golden/diagnostics/fail_runtime_errors.doudi", "stdlib-policies/huining/tests/urban_dibao_tests.doudi"});
  REQUIRE(r.files.size() == 2);
  CHECK(r.failed > 0);
  CHECK(r.passed > 0);
  size_t failures = 0;
  for (const auto& t : r.files[0].tests)
    for (const auto& f : t.failures) {
      ++failures;
      CHECK(f.trace != nullptr);
    }
  CHECK(failures > 0);
  for (const auto& t : r.files[1].tests) CHECK(t.failures.empty());
}

TEST_CASE("a step budget ends a decision with E1008, explained or not") {
  auto [rules, record, engine] = county_engine();
  engine->set_step_budget(5);
  const Decision untraced = engine->decide(record.data);
  REQUIRE(untraced.error);
  CHECK(untraced.error->code == DiagCode::E1008);
  CHECK(untraced.error->args == std::vector<std::string>{"5"});
  // An explanation gets the same budget when it is below the traced one.
  TraceRecorder trace;
  const Decision traced = engine->decide(record.data, &trace);
  REQUIRE(traced.error);
  CHECK(traced.error->code == DiagCode::E1008);
  CHECK(traced.error->args == untraced.error->args);
  engine->set_step_budget(Interpreter::kStepBudget);
  CHECK_FALSE(engine->decide(record.data).error);
}

TEST_CASE("decide_each gives every household in order the decision decide_into gives it") {
  CountyEngine county = county_engine();  // not a structured binding: lambdas below capture its parts
  const std::shared_ptr<const RuleSet> rules = county.rules;
  std::vector<Diagnostic> errors;
  const auto context = rules->context("会宁县", "2022-06", errors);
  REQUIRE(context);
  // The shipped households and households of one to six members with
  // different wages: some eligible, some not, and (on a small step budget)
  // the larger ones an error result.
  std::vector<std::string> texts;
  for (const auto& entry : fs::directory_iterator("stdlib-policies/huining/households")) {
    std::string json;
    REQUIRE(read_source_file(entry.path().string(), json));
    texts.push_back(json);
  }
  std::sort(texts.begin(), texts.end());
  for (int k = 0; k < 30; ++k) {
    std::string members;
    for (int m = 0; m <= k % 6; ++m)
      members += fmt::format(R"({}{{"年龄": {}, "工资性收入": {}}})", m ? "," : "", 30 + m, 150 * k + 70 * m);
    texts.push_back(fmt::format(R"({{"户籍": "城市", "财产符合规定": true, "成员": [{}]}})", members));
  }
  std::vector<RecordData> households;
  for (const auto& json : texts) {
    LoadedRecord r = load_household(*rules, json);
    REQUIRE(r.ok());
    households.push_back(std::move(r.data));
  }
  std::vector<std::unique_ptr<Engine>> engines;
  engines.push_back(std::move(county.engine));
  std::string why;
  if (auto compiled = make_engine(EngineKind::Compiled, rules, why)) engines.push_back(std::move(compiled));
  // A whole decision as the log and `run --json` show it: every output,
  // the raised flags, and an error result with its code, arguments and place.
  auto shown = [&](const Decision& d) { return decision_json(rules->module(), "会宁县", context->month, d, Lang::En); };
  // On 160 steps about half the households are E1008.
  for (const uint64_t budget : {Interpreter::kStepBudget, uint64_t{160}}) {
    std::vector<std::string> first_engine;
    for (auto& e : engines) {
      e->set_context(*context);
      e->set_step_budget(budget);
      std::vector<std::string> expected;
      size_t refused = 0;
      for (const auto& h : households) {
        const Decision d = e->decide(h);
        refused += d.error.has_value();
        expected.push_back(shown(d));
      }
      // Not all alike, or the comparison below could not tell households apart.
      CHECK(std::set<std::string>(expected.begin(), expected.end()).size() > 5);
      if (budget == 160) CHECK(refused > 5);
      std::vector<std::string> got;
      std::vector<size_t> order;
      Decision scratch;
      e->decide_each(households, scratch, [&](size_t i, const Decision& d) {
        order.push_back(i);
        got.push_back(shown(d));
      });
      CHECK(got == expected);
      std::vector<size_t> all(households.size());
      std::iota(all.begin(), all.end(), 0);
      CHECK(order == all);
      // The compiled engine's single entry point decides as the interpreter does, error results and all.
      if (first_engine.empty()) first_engine = expected;
      else CHECK(expected == first_engine);
    }
  }
  Decision scratch;
  size_t calls = 0;
  engines.front()->decide_each(std::span<const RecordData>{}, scratch, [&](size_t, const Decision&) { ++calls; });
  engines.front()->decide_each(Caseload{}, scratch, [&](size_t, const Decision&) { ++calls; });
  CHECK(calls == 0);
}
