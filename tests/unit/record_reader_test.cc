// The batch's record reader (RecordReader) reads most records by a fast
// path: keys matched as written, plain amounts and whole numbers parsed
// where they lie, nothing located unless there is a problem. Whatever it
// meets, it must give the record the strict loader gives (load_household),
// or refuse what that refuses: random records of the Huining deployment's
// schema and the benchmark rule's, and the same records with their values
// written in every other form the loader reads or refuses.
#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "doudi/compiler.h"
#include "doudi/engine.h"
#include "runtime/record/record_json.h"
#include "runtime/record/record_loader.h"
#include "tests/differential/record_generator.h"
#include "tests/unit/shipped_rules.h"

using namespace doudi;

namespace {

// Checks one text both ways; returns whether it loaded.
bool same_either_way(const RuleSet& rules, RecordReader& reader, const std::string& json) {
  const ir::Module& m = rules.module();
  const LoadedRecord strict = load_household(rules, json);
  std::string padded = json;
  padded.append(64, ' ');
  const LoadedRecord& fast = reader.load(std::string_view(padded).substr(0, json.size()), padded.size());
  INFO(json);
  CHECK(fast.ok() == strict.ok());
  if (fast.ok() && strict.ok()) {
    CHECK(record_to_json(m, fast.data, nullptr) == record_to_json(m, strict.data, nullptr));
    // The same words where they hold no text's address.
    if (fast.data.strings.empty()) CHECK(fast.data.words == strict.data.words);
    CHECK(fast.data.root == strict.data.root);
  }
  if (!fast.ok() && !strict.ok()) {
    REQUIRE(fast.problems.size() == strict.problems.size());
    for (size_t i = 0; i < fast.problems.size(); ++i) {
      CHECK(fast.problems[i].code == strict.problems[i].code);
      CHECK(fast.problems[i].offset == strict.problems[i].offset);
    }
  }
  return strict.ok();
}

// The record with its `n`-th number or key written another way.
std::string rewritten(const std::string& json, std::mt19937_64& rng) {
  static const std::vector<std::pair<std::string, std::string>> forms = {
      {".", ".0"},  {".", "00."}, {":", ": "}, {",", " ,"}, {"1", "1e0"}, {"0", "-0"}, {"2", "02"},
      {":", ":\"1.5\","}, {"\":", "\\u0031\":"}, {"5", "5.001"}, {"true", "false"}, {"3", "-3"},
      {"4", "4.10"}, {"{", "{\"x\":1,"}, {"]", ",1]"}, {"\"", "\"\\u5e74"}, {"6", "6.5"}, {"7", "7."}};
  const auto& [from, to] = forms[std::uniform_int_distribution<size_t>(0, forms.size() - 1)(rng)];
  std::vector<size_t> at;
  for (size_t p = json.find(from); p != std::string::npos; p = json.find(from, p + 1)) at.push_back(p);
  if (at.empty()) return json;
  const size_t p = at[std::uniform_int_distribution<size_t>(0, at.size() - 1)(rng)];
  return json.substr(0, p) + to + json.substr(p + from.size());
}

void exercise(const RuleSet& rules, uint64_t seed) {
  RecordReader reader(rules.module());
  testing::RecordGenerator generator(rules.module(), seed);
  std::mt19937_64 rng(seed);
  int loaded = 0, refused = 0;
  for (int i = 0; i < 400; ++i) {
    const std::string json = generator.next();
    loaded += same_either_way(rules, reader, json);
    std::string changed = rewritten(json, rng);
    for (int k = 0; k < 3; ++k) {
      if (same_either_way(rules, reader, changed)) ++loaded;
      else ++refused;
      changed = rewritten(changed, rng);
    }
  }
  // Both kinds, many of each: the comparison above means something.
  CHECK(loaded > 300);
  CHECK(refused > 100);
}

}  // namespace

TEST_CASE("the batch's record reader reads each form of a value as the strict loader does") {
  const LoadedRules loaded = testing::load_shipped("bench/rules/means_test.doudi");
  RecordReader reader(loaded.rules->module());
  auto household = [](const std::string& id, const std::string& salary, const std::string& rest = R"("pension":0,"other_income":0)") {
    return R"({"id":)" + id + R"(,"members":[{"salary":)" + salary + "," + rest + "}]}";
  };
  int loaded_count = 0;
  for (const std::string salary :
       {"1.5", "1.50", "1.500", "1.501", "0.05", "0", "-0", "-0.00", "01", "1e2", "1E2", "\"828.50\"", "1.", ".5", "-1.5",
        "12345678901234567.89", "1234567890123456.78", "9999999999999999", "99999999999999999", "92233720368547758.07",
        "92233720368547758.08", "1.5 ", "true", "null", "[]", "{}", "1.2.3", "--1", "+1", "0.1e1",
        // Amounts as decimal text, plain and not.
        "\"1.5\"", "\"1.50\"", "\"1.501\"", "\"1.500\"", "\"0\"", "\"-0\"", "\"-1.5\"", "\"01\"", "\"1.\"", "\".5\"",
        "\"1.5 \"", "\" 1.5\"", "\"1e2\"", "\"\"", "\"1\\u0030\"", "\"12345678901234567.89\"", "\"1234567890123456.78\"",
        "\"92233720368547758.08\"", "\"1.5\" ", "\"abc\""})
    loaded_count += same_either_way(*loaded.rules, reader, household("1", salary));
  for (const std::string id : {"1.0", "-1", "\"1\"", "01", "9223372036854775807", "9223372036854775808", "1e0", "0", "-0"})
    loaded_count += same_either_way(*loaded.rules, reader, household(id, "1.5"));
  for (const std::string rest : {R"("other_income":0,"pension":0)", R"("pension":0,"other_income":0,"pension":1)",
                                 R"("pension":0,"other_income":0,"extra":1)", R"("pension":0)",
                                 R"("pensio\u006e":0,"other_income":0)", R"( "pension" : 0 , "other_income" : 0 )"})
    loaded_count += same_either_way(*loaded.rules, reader, household("1", "2.5", rest));
  loaded_count += same_either_way(*loaded.rules, reader, household("1", "2.5") + " 1");
  loaded_count += same_either_way(*loaded.rules, reader, R"({"members":[],"id":7})");
  CHECK(loaded_count == 30);
}

TEST_CASE("the batch's record reader reads optional values, given or null, as the strict loader does") {
  const LoadedRules loaded = testing::load_shipped("examples/huining/deployment.doudi");
  RecordReader reader(loaded.rules->module());
  int loaded_count = 0;
  for (const std::string member :
       {R"("年龄":40)", R"("年龄":40,"残疾等级":null)", R"("年龄":40,"残疾等级":3)", R"("年龄":40,"性别":null,"残疾类别":null)",
        R"("年龄":40,"性别":"女","残疾类别":"肢体","残疾等级":1)", R"("年龄":40,"残疾等级":-1)", R"("年龄":null)"})
    for (const std::string household : {R"("渐退前月低保金":null)", R"("渐退前月低保金":100.5)", R"("渐退起始月":null)"})
      loaded_count += same_either_way(*loaded.rules, reader,
                                      R"({"户籍":"农村","财产符合规定":true,)" + household + R"(,"成员":[{)" + member + "}]}");
  CHECK(loaded_count == 15);  // all but a negative 残疾等级 and a null 年龄
}

TEST_CASE("the batch's record reader gives the record the strict loader gives, or refuses what it refuses") {
  CompileOptions options;
  options.import_roots = {DOUDI_SOURCE_DIR "/stdlib-policies"};
  for (const char* rules : {DOUDI_SOURCE_DIR "/examples/huining/deployment.doudi", DOUDI_SOURCE_DIR "/bench/rules/means_test.doudi"}) {
    CAPTURE(rules);
    LoadedRules loaded = load_rules(rules, options);
    REQUIRE(loaded.rules);
    exercise(*loaded.rules, 20261206);
  }
}
