// Money × a ratio, ÷ a ratio and ÷ a whole number in each rounding mode, and
// sums, differences and products of ratios, decided by every engine over
// amounts, ratios and divisors up to the edges of 64 bits (the largest
// amount and ratio a record holds). The compiled
// engine computes inline where the exact result needs neither 128 bits nor
// reducing, and calls the interpreter's code otherwise; both must give the
// exact result (a quotient rounded as asked, a ratio in lowest terms) or the
// same error.
#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "doudi/compiler.h"
#include "runtime/value/checked.h"
#include "runtime/value/ratio.h"
#include "tests/unit/every_engine.h"

using namespace doudi;

namespace {

constexpr const char* kRules = R"(语言 中文
模块 测试.算术
结构 户 { 金额 : 元/月 可为负 = 0 元/月, 系数 : 比例 可为负 = 0, 除数 : 整数 可为负 = 1 }
输入 户 : 户
辖区 甲 {}
规则 乘 : 元/月 默认 = 户.金额 × 户.系数 【测】
规则 乘向下 : 元/月 默认 = 向下取整(户.金额 × 户.系数) 【测】
规则 乘向上 : 元/月 默认 = 向上取整(户.金额 × 户.系数) 【测】
规则 除 : 元/月 默认 = 户.金额 ÷ 户.系数 【测】
规则 除向下 : 元/月 默认 = 向下取整(户.金额 ÷ 户.系数) 【测】
规则 除向上 : 元/月 默认 = 向上取整(户.金额 ÷ 户.系数) 【测】
规则 除整数 : 元/月 默认 = 户.金额 ÷ 户.除数 【测】
规则 除整数向下 : 元/月 默认 = 向下取整(户.金额 ÷ 户.除数) 【测】
规则 除整数向上 : 元/月 默认 = 向上取整(户.金额 ÷ 户.除数) 【测】
规则 乘三分之一 : 元/月 默认 = 户.金额 × (1/3) 【测】
规则 除三分之二 : 元/月 默认 = 户.金额 ÷ (2/3) 【测】
规则 加一 : 比例 默认 = 户.系数 + 1 【测】
规则 一减 : 比例 默认 = 1 − 户.系数 【测】
规则 加三分之一 : 比例 默认 = 户.系数 + (1/3) 【测】
规则 乘除数 : 比例 默认 = 户.系数 × 户.除数 【测】
)";
constexpr size_t kOutputs = 15;

struct Case {
  int64_t fen;        // 金额
  std::string ratio;  // 系数 as a record gives it
  Ratio factor;       // the same, in lowest terms
  int64_t divisor;    // 除数
};

// Output k (the rules above, in order) exactly, or nothing where it is an
// error (overflow past 64 bits, division by zero).
std::optional<Value> expected(const Case& c, size_t k) {
  const RoundMode modes[] = {RoundMode::HalfUp, RoundMode::Down, RoundMode::Up};
  const __int128 fen = c.fen;
  const Ratio x = c.factor;
  std::optional<int64_t> money;
  std::optional<Ratio> ratio;
  if (k < 3) money = rounded_div(fen * x.num, x.den, modes[k % 3]);
  else if (k < 6) money = x.num == 0 ? std::nullopt : rounded_div(fen * x.den, x.num, modes[k % 3]);
  else if (k < 9) money = c.divisor == 0 ? std::nullopt : rounded_div(fen, c.divisor, modes[k % 3]);
  else if (k == 9) money = rounded_div(fen, 3, RoundMode::HalfUp);
  else if (k == 10) money = rounded_div(fen * 3, 2, RoundMode::HalfUp);
  else if (k == 11) ratio = ratio_add(x, Ratio{1, 1});
  else if (k == 12) ratio = ratio_sub(Ratio{1, 1}, x);
  else if (k == 13) ratio = ratio_add(x, Ratio{1, 3});
  else ratio = ratio_mul(x, Ratio{c.divisor, 1});
  if (money) return Value::of(*money);
  if (ratio) return Value::of_ratio(*ratio);
  return std::nullopt;
}

}  // namespace

TEST_CASE("money scaled and ratios added, subtracted, multiplied: every engine gives the exact result") {
  const auto [rules, context] = testing::rules_from_text("arithmetic.doudi", kRules, "甲", "2024-01");

  // Amounts up to the largest a record holds (INT64_MAX 分), and 2^62: × -0.4
  // (-2/5) the product fen × n is INT64_MIN exactly (left to the helper).
  const int64_t big = INT64_MAX / 100;
  const std::vector<int64_t> amounts = {0,      1,      -1,        49,        50,         51,
                                        -50,    -51,    99,        100,       101,        -101,
                                        12345,  -12345, 333333,    big,       -big,       big / 3,
                                        -(big / 7), INT64_MAX, -INT64_MAX, int64_t{1} << 62, -(int64_t{1} << 62)};
  // Decimals, as records give ratios; in lowest terms their denominators
  // are 1, 2, 4, 5, 8, 10, 100, 10^k. The last two make a sum with 1 and
  // a product overflow 64 bits.
  const std::vector<std::string> ratios = {"0",      "1",     "-1",       "0.5",          "-0.5",
                                           "0.3333", "0.6667", "-0.25",   "1.2",          "2.5",
                                           "0.125",  "0.3",   "7%",       "99%",          "0.142857",
                                           "1000000007.1", "-3.000001", "92233720368.5477", "0.0000001",
                                           "-0.4", "9223372036854775807", "-922337203685477580.7"};
  const std::vector<int64_t> divisors = {1, 2, 3, -3, 7, 100, 0};
  std::vector<Case> cases;
  for (int64_t fen : amounts)
    for (size_t r = 0; r < ratios.size(); ++r) {
      std::string text = ratios[r];
      const bool percent = text.back() == '%', minus = text[0] == '-';
      if (percent) text.pop_back();
      auto factor = parse_decimal_ratio(minus ? text.substr(1) : text, percent);
      REQUIRE(factor);
      if (minus) factor->num = -factor->num;
      cases.push_back({fen, ratios[r], *factor, divisors[r % divisors.size()]});
    }

  std::vector<RecordData> households;
  for (const Case& c : cases) {
    // The amount in 元 with its 分, as a record writes it.
    const uint64_t magnitude = c.fen < 0 ? 0 - static_cast<uint64_t>(c.fen) : static_cast<uint64_t>(c.fen);
    const std::string json = fmt::format(R"({{"金额": {}{}.{:02}, "系数": "{}", "除数": {}}})", c.fen < 0 ? "-" : "",
                                         magnitude / 100, magnitude % 100, c.ratio, c.divisor);
    LoadedRecord r = load_household(*rules, json);
    INFO(json);
    REQUIRE(r.ok());
    households.push_back(std::move(r.data));
  }

  size_t rounded = 0, refused = 0;
  std::vector<std::string> first_engine;
  for (auto& engine : testing::every_engine(rules)) {
    engine->set_context(context);
    std::vector<std::string> decided;
    for (size_t i = 0; i < cases.size(); ++i) {
      const Case& c = cases[i];
      const Decision d = engine->decide(households[i]);
      decided.push_back(testing::decision_words(d));
      const char* which = first_engine.empty() ? "the interpreter" : "the compiled engine";
      INFO(which, ", case ", i, ": ", c.fen, " 分, ",
           c.ratio, ", ÷ ", c.divisor, ": ", decided.back());
      // An output in error makes the whole decision that error: the first
      // output, in order, that fails.
      size_t k = 0;
      while (k < kOutputs && expected(c, k)) ++k;
      if (k < kOutputs) {
        REQUIRE(d.error);
        const bool by_zero = (k >= 3 && k < 6 && c.factor.num == 0) || (k >= 6 && k < 9 && c.divisor == 0);
        CHECK(d.error->code == (by_zero ? DiagCode::E1002 : DiagCode::E1001));
        ++refused;
        continue;
      }
      REQUIRE_FALSE(d.error);
      for (k = 0; k < kOutputs; ++k) CHECK(d.outputs[k] == *expected(c, k));
      rounded += static_cast<__int128>(d.outputs[0].a) * c.factor.den != static_cast<__int128>(c.fen) * c.factor.num;
    }
    if (first_engine.empty()) first_engine = decided;
    else CHECK(decided == first_engine);  // the same errors at the same places too
  }
  // The grid reaches rounding and the errors.
  CHECK(rounded > 100);
  CHECK(refused > 20);
}
