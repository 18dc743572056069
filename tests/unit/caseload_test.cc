// A Caseload holds households one after another in one allocation; deciding
// from it gives every engine's decision of each record as loaded, texts and
// all, however often its storage moved while it filled.
#include <doctest/doctest.h>

#include <fmt/format.h>

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
