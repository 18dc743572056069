// The step budget (calls and rounds of loops, E1008) on every engine. The
// compiled code counts every step but looks at the count only where a loop
// goes round or a function not inlined begins, and the engine decides again with the interpreter when the
// count ends at or below zero (runtime/jit/lower.cc, checked_step): on every
// budget the engines must give the same decision, including when the budget
// runs out at a call and the compiled code, going on, meets an overflow the
// interpreter never reaches.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cstdint>
#include <set>
#include <string>
#include <vector>


#include "doudi/compiler.h"
#include "doudi/engine.h"
#include "runtime/jit/member_memo.h"
#include "tests/unit/every_engine.h"

using namespace doudi;

namespace {

// 大数 is too long to be inlined (kAlwaysInline): the compiled code looks
// at the budget as it begins, and its second call finds it in the memo.
// 放大存款 overflows for a large 存款 right after its call to 存款数: a
// budget that ends at that call ends there on the interpreter (E1008),
// while the compiled code goes on to the overflow (E1001) before the engine
// looks at the count. 放大 calls 人收入 in a loop, and 老人数 has a loop of
// its own after it.
constexpr const char* kRules = R"(语言 中文
模块 测试.步数
结构 人 { 收入 : 元/月 = 0 元/月, 年龄 : 整数 = 30 }
结构 户 { 成员 : 列表<人>, 存款 : 元/月 = 0 元/月 }
输入 户 : 户
辖区 甲 {}
定义 存款数 : 元/月 = 户.存款 【测】
规则 放大存款 : 元/月 默认 = 存款数 × 100000 【测】
定义 人收入(人 m) : 元/月 = m.收入 × 2 【测】
定义 合计收入 : 元/月 = 合计 m 属于 户.成员 : 人收入(m) 【测】
规则 放大 : 元/月 默认 = 合计收入 × 100000 【测】
规则 老人数 : 整数 默认 = 人数 m 属于 户.成员 当 m.年龄 ≥ 60 【测】
定义 大数 : 元/月 = 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 + 户.存款 【测】
规则 两个大数 : 元/月 默认 = 大数 + 大数 【测】
)";

// Each household decided on every engine with every budget, each engine's
// decision the first engine's; returns how the decisions seen begin (an
// error code, or the first output).
std::set<std::string> same_on_every_engine(const std::shared_ptr<const RuleSet>& rules, const DecisionContext& context,
                                           const std::vector<std::string>& jsons,
                                           const std::vector<uint64_t>& budgets) {
  std::vector<RecordData> households;
  for (const auto& json : jsons) {
    LoadedRecord r = load_household(*rules, json);
    INFO(json);
    REQUIRE(r.ok());
    households.push_back(std::move(r.data));
  }
  auto engines = testing::every_engine(rules);
  std::set<std::string> seen;
  for (uint64_t budget : budgets)
    for (size_t h = 0; h < households.size(); ++h) {
      INFO("budget ", budget, ", household ", jsons[h]);
      std::string first;
      for (auto& engine : engines) {
        engine->set_context(context);
        engine->set_step_budget(budget);
        const std::string got = testing::decision_words(engine->decide(households[h]));
        if (&engine == &engines.front()) first = got;
        else CHECK(got == first);
        seen.insert(got.substr(0, got.find(' ')));
      }
    }
  return seen;
}

}  // namespace

TEST_CASE("every budget gives the same decision on every engine, also where the compiled code went on past its end") {
  const auto [rules, context] = testing::rules_from_text("steps.doudi", kRules, "甲", "2024-01");
  const std::vector<std::string> jsons = {
      R"({"成员": []})",
      R"({"成员": [{"收入": 100, "年龄": 70}]})",
      R"({"成员": [{"收入": 1}, {"收入": 2, "年龄": 61}, {"收入": 3}, {"收入": 4, "年龄": 80}, {"收入": 5}, {"收入": 6}]})",
      // 合计收入 fits in 64 bits, 放大 does not (E1001 with a budget that lasts).
      R"({"成员": [{"收入": 9000000000000}, {"收入": 9000000000000, "年龄": 65}]})",
      R"({"成员": [{"收入": 1}], "存款": 9000000000000})",
  };
  std::vector<uint64_t> budgets;
  for (uint64_t b = 1; b <= 60; ++b) budgets.push_back(b);
  budgets.push_back(Interpreter::kStepBudget);
  budgets.push_back(UINT64_MAX);  // beyond the compiled code's INT64_MAX: as good as unending on both
  const std::set<std::string> seen = same_on_every_engine(rules, context, jsons, budgets);
  // Decisions made, budgets run out, and the overflow: each was met.
  CHECK(seen.count("E1008") == 1);
  CHECK(seen.count("E1001") == 1);
  CHECK(seen.size() >= 3);
}

namespace {

// 困难(m) and 放大(m) are member rules two loops call
// (runtime/jit/member_memo.h): the compiled code evaluates each once per
// member and, the second time, counts again the steps the first counted.
// 低于门槛(m) reaches 门槛, a parameterless definition whose memo makes its
// second call cheaper, so it is evaluated each time. 放大(m) overflows for
// a large income, in the first loop that calls it, so nothing is kept.
constexpr const char* kMemberRules = R"(语言 中文
模块 测试.成员步数
结构 人 { 收入 : 元/月 = 0 元/月, 年龄 : 整数 = 30, 残疾 : 布尔 = 假 }
结构 户 { 成员 : 列表<人>, 存款 : 元/月 = 0 元/月 }
输入 户 : 户
辖区 甲 {}
定义 困难(人 m) : 布尔 =
  (m.年龄 ≥ 60 或 m.年龄 < 16 或 m.残疾) 且 m.收入 < 500 元/月 且 m.收入 ≥ 0 元/月 且 m.年龄 ≥ 0 【测】
规则 困难人数 : 整数 默认 = 人数 m 属于 户.成员 当 困难(m) 【测】
规则 困难收入 : 元/月 默认 = 合计 m 属于 户.成员 当 困难(m) : m.收入 【测】
定义 门槛 : 元/月 = 户.存款 【测】
定义 低于门槛(人 m) : 布尔 = m.收入 < 门槛 且 (m.年龄 ≥ 60 或 m.年龄 < 16 或 m.残疾) 且 m.年龄 ≥ 0 【测】
规则 低于人数 : 整数 默认 = 人数 m 属于 户.成员 当 低于门槛(m) 【测】
规则 低于收入 : 元/月 默认 = 合计 m 属于 户.成员 当 低于门槛(m) : m.收入 【测】
定义 放大(人 m) : 元/月 = m.收入 × 100000 + m.收入 × 2 + m.收入 + m.收入 × 3 + m.收入 × 5 + m.收入 × 7 【测】
规则 放大合计 : 元/月 默认 = 合计 m 属于 户.成员 : 放大(m) 【测】
规则 放大最大 : 元/月 默认 = 合计 m 属于 户.成员 当 困难(m) : 放大(m) 【测】
)";

}  // namespace

TEST_CASE("a member rule two loops call counts its steps twice on every engine, on every budget") {
  const auto [rules, context] = testing::rules_from_text("member_steps.doudi", kMemberRules, "甲", "2024-01");
  const std::vector<std::string> jsons = {
      R"({"成员": []})",
      R"({"成员": [{"收入": 100, "年龄": 70}]})",
      R"({"成员": [{"收入": 1}, {"收入": 2, "年龄": 61}, {"收入": 3, "残疾": true}, {"收入": 4, "年龄": 8},
                 {"收入": 600, "年龄": 80}, {"收入": 6}, {"收入": 7, "年龄": 12}, {"收入": 8, "年龄": 90}], "存款": 5})",
      R"({"成员": [{"收入": 10, "年龄": 65}, {"收入": 90000000000000000, "年龄": 65}], "存款": 50})",
  };
  // The tables are there, or the sweep below would test nothing new.
  const ir::Module& m = rules->module();
  const std::vector<int32_t> tables = jit::member_memo_tables(m).of;
  auto table_of = [&](const char* name) {
    for (size_t f = 0; f < m.functions.size(); ++f)
      if (m.functions[f].name == name) return tables[f];
    FAIL("no function ", name);
    return -2;
  };
  CHECK(table_of("困难") >= 0);
  CHECK(table_of("放大") >= 0);
  CHECK(table_of("低于门槛") == -1);
  constexpr uint64_t kLast = 260;
  std::vector<uint64_t> budgets;
  for (uint64_t b = 1; b <= kLast; ++b) budgets.push_back(b);
  const std::set<std::string> seen = same_on_every_engine(rules, context, jsons, budgets);
  // Every household's budget runs out within the sweep: at its first budget
  // it does not, and at its last it is decided (or overflows).
  Interpreter interpreter(m);
  interpreter.set_context(context.jurisdiction, context.month);
  for (const auto& json : jsons) {
    INFO(json);
    const LoadedRecord r = load_household(*rules, json);
    REQUIRE(r.ok());
    interpreter.set_step_budget(1);
    CHECK(testing::decision_words(interpreter.decide(r.data)).rfind("E1008", 0) == 0);
    interpreter.set_step_budget(kLast);
    CHECK(testing::decision_words(interpreter.decide(r.data)).rfind("E1008", 0) != 0);
  }
  // Budgets that run out, the overflow, and decisions made: each was met.
  CHECK(seen.count("E1008") == 1);
  CHECK(seen.count("E1001") == 1);
  CHECK(seen.size() >= 3);
}

TEST_CASE("member rules evaluated once per member, household after household in runs, as each alone") {
  // Households alike in shape (their members at the same words) but not in
  // values: an entry kept from one household would give the next a wrong
  // answer. Every fifth overflows; a budget of 70 ends the larger ones.
  const auto [rules, context] = testing::rules_from_text("member_runs.doudi", kMemberRules, "甲", "2024-01");
  std::vector<std::string> jsons;
  for (int k = 0; k < 60; ++k)
    jsons.push_back(fmt::format(
        R"({{"成员": [{{"收入": {}, "年龄": {}}}, {{"收入": {}, "年龄": {}, "残疾": {}}}, {{"收入": {}}}], "存款": {}}})",
        k % 5 == 4 ? "90000000000000000" : std::to_string(k * 37 % 900), 10 + k * 13 % 70, k * 11 % 700,
        k % 3 ? 65 : 40, k % 2 ? "true" : "false", k * 3, k * 17 % 500));
  for (auto& engine : testing::every_engine(rules)) {
    engine->set_context(context);
    for (const uint64_t budget : {Interpreter::kStepBudget, uint64_t{70}}) {
      INFO("budget ", budget);
      engine->set_step_budget(budget);
      Caseload caseload;
      std::vector<std::string> alone;
      for (const auto& json : jsons) {
        LoadedRecord r = load_household(*rules, json);
        REQUIRE(r.ok());
        alone.push_back(testing::decision_words(engine->decide(r.data)));
        caseload.add(std::move(r.data));
      }
      std::vector<std::string> together;
      Decision scratch;
      engine->decide_each(caseload, scratch,
                          [&](size_t, const Decision& d) { together.push_back(testing::decision_words(d)); });
      CHECK(together == alone);
      std::set<std::string> kinds;
      for (const auto& words : alone) kinds.insert(words.substr(0, words.find(' ')));
      CHECK(kinds.size() >= (budget == 70 ? 3u : 2u));
    }
  }
}
