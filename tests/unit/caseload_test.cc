// A Caseload holds households one after another in one allocation; deciding
// from it gives every engine's decision of each record as loaded, texts and
// all, however often its storage moved while it filled.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "doudi/compiler.h"
#include "doudi/engine.h"
#include "tests/unit/every_engine.h"

using namespace doudi;

namespace {

constexpr char kRules[] = R"(language en
module test.caseload
struct person {
  name : text
  income : yuan/month
}
struct household {
  id : int
  members : list<person>
}
input household : household
jurisdiction here {}
rule named_jia : int
  default = count p in household.members when p.name = "甲" [t]
rule income : yuan/month
  default = sum p in household.members : p.income [t]
rule top_income : yuan/month
  default = max p in household.members : p.income [t]
)";

}  // namespace

TEST_CASE("a Caseload decides every household as the record it was made from") {
  const auto loaded = load_source_rules("caseload.doudi", kRules);
  REQUIRE(loaded.rules);
  std::vector<Diagnostic> errors;
  const auto context = loaded.rules->context("here", "2024-03", errors);
  REQUIRE(context);
  std::vector<std::unique_ptr<Engine>> engines = testing::every_engine(loaded.rules);

  // 0 to 5 members named 甲 or 乙 (texts the records own); no member, and
  // the highest income is the error result E1006.
  std::vector<std::string> texts;
  for (int k = 0; k < 300; ++k) {
    std::string members;
    for (int m = 0; m < k % 6; ++m)
      members += fmt::format(R"({}{{"name": "{}", "income": {}.{:02}}})", m ? "," : "", (k + m) % 3 ? "甲" : "乙",
                             10 * k + m, k % 100);
    texts.push_back(fmt::format(R"({{"id": {}, "members": [{}]}})", k, members));
  }
  auto shown = [&](const Decision& d) {
    return decision_json(loaded.rules->module(), "here", context->month, d, Lang::En);
  };
  for (auto& engine : engines) {
    engine->set_context(*context);
    std::vector<std::string> expected;
    Caseload caseload;  // no reserve: its words move many times as it fills
    for (const auto& json : texts) {
      LoadedRecord r = load_household(*loaded.rules, json);
      REQUIRE(r.ok());
      expected.push_back(shown(engine->decide(r.data)));
      caseload.add(std::move(r.data));
      CHECK(r.data.words.empty());
    }
    REQUIRE(caseload.size() == texts.size());
    // The records are gone; the texts their words point at live in the caseload.
    std::vector<std::string> got;
    std::vector<size_t> order;
    Decision scratch;
    engine->decide_each(caseload, scratch, [&](size_t i, const Decision& d) {
      order.push_back(i);
      got.push_back(shown(d));
    });
    CHECK(got == expected);
    for (size_t i = 0; i < order.size(); ++i) CHECK(order[i] == i);
    CHECK(shown(engine->decide(caseload[7])) == expected[7]);
    // Not all alike, or the comparison could not tell households apart.
    CHECK(std::set<std::string>(expected.begin(), expected.end()).size() > 100);
    CHECK(expected[6].find("E1006") != std::string::npos);
  }
}

namespace {

// A person larger than a household without members (such a record is
// shorter than the largest structure and is read padded), a flag, an error
// result for a household whose members' incomes sum past what a sum may
// hold, and a loop long enough for a small step budget to end it.
constexpr char kRunRules[] = R"(language en
module test.caseload_runs
struct person {
  name : text
  income : yuan/month
  pension : yuan/month
  age : int
  disabled : bool
}
struct household {
  id : int
  members : list<person>
}
input household : household
jurisdiction here {}
rule income : yuan/month
  default = sum p in household.members : p.income + p.pension [t]
rule elderly : int
  default = count p in household.members when p.age >= 60 [t]
flag review when (count p in household.members when p.disabled) >= 1 "a disabled member" [t]
)";

}  // namespace

TEST_CASE("decide_each over a Caseload decides every household as decide does, run by run") {
  // Not a structured binding: the lambdas below capture its parts.
  const testing::RulesInContext in_context =
      testing::rules_from_text("caseload_runs.doudi", kRunRules, "here", "2024-03");
  const auto& rules = in_context.rules;
  const DecisionContext& context = in_context.context;
  // 500 households (the compiled engine takes them in runs of at most 62
  // here, its outputs within 2 KiB): every fifth without members, every
  // seventh with a disabled member (the flag), every thirteenth with
  // incomes that overflow (E1001), and up to nine members, so that a small
  // budget ends the larger ones (E1008); except from 200 to 349, where
  // households of one to three members fill whole runs.
  std::vector<std::string> texts;
  for (int k = 0; k < 500; ++k) {
    std::string members;
    const bool plain = k >= 200 && k < 350;
    const int count = plain ? k % 3 + 1 : k % 5 == 0 ? 0 : k % 9 + 1;
    for (int m = 0; m < count; ++m)
      members += fmt::format(R"({}{{"name": "n{}", "income": {}, "pension": {}, "age": {}, "disabled": {}}})",
                             m ? "," : "", m,
                             k % 13 == 1 && !plain ? "90000000000000000" : fmt::format("{}.{:02}", k, m), 10 * m,
                             20 + 7 * m + k % 11, k % 7 == 3 && m == count - 1 ? "true" : "false");
    texts.push_back(fmt::format(R"({{"id": {}, "members": [{}]}})", k, members));
  }
  auto shown = [&](const Decision& d) {
    return decision_json(rules->module(), "here", context.month, d, Lang::En);
  };
  std::vector<std::string> reference;
  for (auto& engine : testing::every_engine(rules)) {
    engine->set_context(context);
    for (const uint64_t budget : {Interpreter::kStepBudget, uint64_t{12}}) {
      engine->set_step_budget(budget);
      std::vector<std::string> expected;
      Caseload caseload;
      for (const auto& json : texts) {
        LoadedRecord r = load_household(*rules, json);
        REQUIRE(r.ok());
        expected.push_back(shown(engine->decide(r.data)));
        caseload.add(std::move(r.data));
      }
      std::vector<std::string> got;
      Decision scratch;
      engine->decide_each(caseload, scratch, [&](size_t i, const Decision& d) {
        CHECK(i == got.size());
        got.push_back(shown(d));
      });
      CHECK(got == expected);
      // `each` may decide other households with the same engine, error
      // results among them: the household a run stopped at keeps its own.
      const LoadedRecord overflowing = load_household(*rules, texts[1]);
      REQUIRE(overflowing.ok());
      std::vector<std::string> again;
      engine->decide_each(caseload, scratch, [&](size_t, const Decision& d) {
        again.push_back(shown(d));
        CHECK(engine->decide(overflowing.data).error.has_value());
      });
      CHECK(again == expected);
      // Every kind of household is there, or the comparison shows less than it claims.
      auto holding = [&](const char* what) {
        return std::count_if(expected.begin(), expected.end(),
                             [&](const std::string& s) { return s.find(what) != std::string::npos; });
      };
      CHECK(holding("\"review\"") > 10);
      CHECK(holding("E1001") > 10);
      if (budget == 12) {
        CHECK(holding("E1008") > 10);
        CHECK(holding("E1008") < 500);
      } else {
        CHECK(holding("E1008") == 0);
      }
      // The engines agree with each other too.
      for (const auto& s : expected) reference.push_back(s);
    }
  }
  // Two budgets per engine: the compiled engine's decisions (when built) are the interpreter's.
  if (reference.size() == 4 * texts.size())
    CHECK(std::equal(reference.begin(), reference.begin() + 2 * texts.size(), reference.begin() + 2 * texts.size()));
}
