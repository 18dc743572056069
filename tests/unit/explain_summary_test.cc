// The summary explanation of the README's household: short enough to read
// aloud, and carrying the facts that decide it (issue 11's acceptance).
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>

#include "doudi/compiler.h"
#include "doudi/engine.h"
#include "runtime/source/read_file.h"

using namespace doudi;

namespace {

struct Explained {
  std::string text;
};

Explained explain(const std::string& household, Lang lang) {
  std::filesystem::current_path(DOUDI_SOURCE_DIR);
  CompileOptions options;
  options.import_roots = {"stdlib-policies"};
  const LoadedRules loaded = load_rules("examples/huining/deployment.doudi", options);
  REQUIRE(loaded.rules);
  const auto& rules = loaded.rules;
  std::vector<Diagnostic> errors;
  const auto context = rules->context("会宁县", "2022-06", errors);
  REQUIRE(context);
  std::string json;
  REQUIRE(read_source_file(household, json));
  const LoadedRecord record = load_household(*rules, json);
  REQUIRE(record.ok());
  auto engine = make_interpreter(rules);
  engine->set_context(*context);
  TraceRecorder trace;
  const Decision d = engine->decide(record.data, &trace);
  return {explain_summary(rules->module(), d, trace.root(), lang, &record.data).text};
}

}  // namespace

TEST_CASE("the README household's summary fits on a screen and names the deciding facts") {
  const auto e = explain("stdlib-policies/huining/households/edge_disabled.json", Lang::Zh);
  CHECK(std::count(e.text.begin(), e.text.end(), '\n') <= 40);
  // Not eligible as a whole household: per-capita income above the standard.
  CHECK(e.text.find("人均收入 ≥ 城市低保标准：950 元/月 ≥ 690 元/月") != std::string::npos);
  // Taken in as a single-person household …
  CHECK(e.text.find("依据例外「单人户」") != std::string::npos);
  CHECK(e.text.find("重残(成员#1) = 真") != std::string::npos);
  // … at the raised standard, written out.
  CHECK(e.text.find("690 元/月 × (1 + 20%) = 828 元/月") != std::string::npos);
  // Said once, even though two outputs rely on it.
  const auto first = e.text.find("人均收入 = 950 元/月");
  REQUIRE(first != std::string::npos);
  CHECK(e.text.find("人均收入 = 950 元/月", first + 1) == std::string::npos);
}

TEST_CASE("a refusal for assets names the asset test, not the income test that held") {
  const auto e = explain("tests/fixtures/explain/assets_fail.json", Lang::Zh);
  CHECK(e.text.find("家庭.财产符合规定 = 假") != std::string::npos);
  CHECK(e.text.find("人均收入 < 低保标准") == std::string::npos);
}

TEST_CASE("a review flag stands beside the output it concerns, in the conclusion") {
  const auto e = explain("tests/fixtures/explain/fire.json", Lang::Zh);
  const auto outcome = e.text.substr(0, e.text.find("理由："));
  CHECK(outcome.find("临时救助金 = 0 元  ⚑ 需人工审核：一事一议") != std::string::npos);
}
