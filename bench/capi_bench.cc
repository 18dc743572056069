// The C API's two ways in, on the same Huining households: as JSON text
// (doudi_decide_json) and as typed values (doudi_household_*, then
// doudi_decide_household), on one thread, the compiled engine if built.
// The households are made in memory (as bench/huining_households makes
// them); the sums of 月低保金 must agree.
//
//   build/bench/capi_bench BUNDLE [N]   (default N 1,000,000)
#include <doudi/doudi.h>
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace {

struct Member {
  int age = 0, grade = 0;
  int64_t wage_fen = -1, pension_fen = -1;  // -1: not given
  bool ill = false;
};
struct Household {
  bool urban = false, single = false;
  std::vector<Member> members;
};

std::vector<Household> generate(size_t n) {
  std::mt19937_64 rng(20220601);
  std::uniform_int_distribution<int> members(1, 7), age(0, 90), wage(0, 250000), pension(0, 60000), grade(0, 9);
  std::bernoulli_distribution urban(0.6), single(0.1), has_pension(0.25), ill(0.05);
  std::vector<Household> out(n);
  for (auto& h : out) {
    h.urban = urban(rng);
    h.single = single(rng);
    h.members.resize(static_cast<size_t>(members(rng)));
    for (auto& m : h.members) {
      m.age = age(rng);
      const int g = grade(rng);
      if (m.age >= 18 && m.age < 60) m.wage_fen = wage(rng);
      if (m.age >= 60 && has_pension(rng)) m.pension_fen = pension(rng);
      if (g >= 1 && g <= 4) m.grade = g;
      m.ill = ill(rng);
    }
  }
  return out;
}

std::string json_of(const Household& h) {
  std::string s = fmt::format(R"({{"户籍":"{}","财产符合规定":true{},"成员":[)", h.urban ? "城市" : "农村",
                              h.single ? R"(,"申请单人户":true)" : "");
  for (size_t j = 0; j < h.members.size(); ++j) {
    const Member& m = h.members[j];
    s += fmt::format(R"({}{{"年龄":{})", j ? "," : "", m.age);
    if (m.wage_fen >= 0) s += fmt::format(R"(,"工资性收入":{}.{:02})", m.wage_fen / 100, m.wage_fen % 100);
    if (m.pension_fen >= 0) s += fmt::format(R"(,"基础养老金":{}.{:02})", m.pension_fen / 100, m.pension_fen % 100);
    if (m.grade) s += fmt::format(R"(,"残疾类别":"肢体","残疾等级":{})", m.grade);
    if (m.ill) s += R"(,"患重特大疾病":true)";
    s += "}";
  }
  return s + "]}";
}

int32_t field(const doudi_rules* rules, const char* path) {
  doudi_error* e = nullptr;
  const int32_t h = doudi_rules_field(rules, path, &e);
  if (h < 0) {
    fmt::print(stderr, "{}\n", doudi_error_json(e));
    std::exit(1);
  }
  return h;
}

int64_t benefit(doudi_decision* d, size_t output) {
  int64_t fen = 0;
  if (!d || doudi_decision_output_int(d, output, &fen) != DOUDI_OK) {
    fmt::print(stderr, "a household was not decided\n");
    std::exit(1);
  }
  doudi_decision_free(d);
  return fen;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fmt::print(stderr, "usage: capi_bench BUNDLE [N]\n");
    return 2;
  }
  const size_t n = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 1'000'000;
  doudi_error* e = nullptr;
  doudi_rules* rules = doudi_rules_open(argv[1], &e);
  doudi_engine* engine = rules ? doudi_engine_new(rules, nullptr, &e) : nullptr;
  if (!engine || doudi_engine_set_context(engine, "会宁县", "2022-06", &e) != DOUDI_OK) {
    fmt::print(stderr, "{}\n", e ? doudi_error_json(e) : "no rules");
    return 1;
  }
  size_t output = 0;
  while (output < doudi_rules_output_count(rules) && std::strcmp(doudi_rules_output_name(rules, output), "月低保金") != 0)
    ++output;
  const auto households = generate(n);
  std::vector<std::string> texts;
  texts.reserve(n);
  for (const auto& h : households) texts.push_back(json_of(h));

  using clock = std::chrono::steady_clock;
  auto start = clock::now();
  int64_t json_sum = 0;
  for (const auto& t : texts) json_sum += benefit(doudi_decide_json(engine, t.data(), t.size(), &e), output);
  const double json_s = std::chrono::duration<double>(clock::now() - start).count();

  const int32_t kind = field(rules, "户籍"), assets = field(rules, "财产符合规定"), single = field(rules, "申请单人户"),
                members = field(rules, "成员"), age = field(rules, "成员.年龄"), wage = field(rules, "成员.工资性收入"),
                pension = field(rules, "成员.基础养老金"), disability = field(rules, "成员.残疾类别"),
                grade = field(rules, "成员.残疾等级"), ill = field(rules, "成员.患重特大疾病");
  doudi_household* typed = doudi_household_new(rules, &e);
  start = clock::now();
  int64_t typed_sum = 0;
  for (const auto& h : households) {
    doudi_household_clear(typed);
    doudi_household_set_text(typed, kind, h.urban ? "城市" : "农村", std::strlen("城市"));
    doudi_household_set_bool(typed, assets, 1);
    if (h.single) doudi_household_set_bool(typed, single, 1);
    for (const auto& m : h.members) {
      doudi_household_add_item(typed, members);
      doudi_household_set_int(typed, age, m.age);
      if (m.wage_fen >= 0) doudi_household_set_fen(typed, wage, m.wage_fen);
      if (m.pension_fen >= 0) doudi_household_set_fen(typed, pension, m.pension_fen);
      if (m.grade) {
        doudi_household_set_text(typed, disability, "肢体", std::strlen("肢体"));
        doudi_household_set_int(typed, grade, m.grade);
      }
      if (m.ill) doudi_household_set_bool(typed, ill, 1);
    }
    typed_sum += benefit(doudi_decide_household(engine, typed, &e), output);
  }
  const double typed_s = std::chrono::duration<double>(clock::now() - start).count();

  fmt::print("{} Huining households through the C API, one thread, engine {}\n", n, doudi_engine_kind(engine));
  fmt::print("  as JSON text (doudi_decide_json)            {:7.2f} s  {:>10.0f} households/s\n", json_s, n / json_s);
  fmt::print("  as typed values (doudi_decide_household)    {:7.2f} s  {:>10.0f} households/s\n", typed_s, n / typed_s);
  fmt::print("  typed ÷ JSON: {:.2f}×;  sums of 月低保金 agree: {} ({:.2f} 元)\n", json_s / typed_s,
             json_sum == typed_sum ? "yes" : "NO", json_sum / 100.0);
  doudi_household_free(typed);
  doudi_engine_free(engine);
  doudi_rules_free(rules);
  return json_sum == typed_sum ? 0 : 1;
}
