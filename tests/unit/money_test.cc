#include <doctest/doctest.h>

#include "runtime/value/checked.h"
#include "runtime/value/money.h"

using namespace doudi;

TEST_CASE("money parses exactly to 分") {
  CHECK(*parse_money_yuan("1900").fen == 190000);
  CHECK(*parse_money_yuan("1900.5").fen == 190050);
  CHECK(*parse_money_yuan("1900.05").fen == 190005);
  CHECK(*parse_money_yuan("0.01").fen == 1);
  CHECK(*parse_money_yuan("-3.20").fen == -320);
  CHECK(*parse_money_yuan("12.500").fen == 1250);  // trailing zeros are exact
  CHECK(parse_money_yuan("12.345").error == "more than two decimal places");
  CHECK(parse_money_yuan("abc").error == "not a number");
  CHECK(parse_money_yuan("1.").error == "not a number");
  CHECK(parse_money_yuan("99999999999999999999").error == "too large");
}

TEST_CASE("money prints as 元 without trailing zeros") {
  CHECK(format_fen(190050) == "1900.5");
  CHECK(format_fen(190005) == "1900.05");
  CHECK(format_fen(190000) == "1900");
  CHECK(format_fen(-1) == "-0.01");
  CHECK(format_fen(INT64_MIN) == "-92233720368547758.08");
}

TEST_CASE("checked arithmetic reports overflow instead of wrapping") {
  CHECK(*checked_add(1, 2) == 3);
  CHECK_FALSE(checked_add(INT64_MAX, 1).has_value());
  CHECK_FALSE(checked_sub(INT64_MIN, 1).has_value());
  CHECK_FALSE(checked_mul(INT64_MAX / 2 + 1, 2).has_value());
  CHECK_FALSE(checked_neg(INT64_MIN).has_value());
  CHECK(*checked_neg(5) == -5);
}

TEST_CASE("rounding: 四舍五入 rounds halves away from zero; down and up are floor and ceiling") {
  CHECK(*rounded_div(5, 2, RoundMode::HalfUp) == 3);
  CHECK(*rounded_div(-5, 2, RoundMode::HalfUp) == -3);
  CHECK(*rounded_div(4, 3, RoundMode::HalfUp) == 1);
  CHECK(*rounded_div(5, 3, RoundMode::HalfUp) == 2);
  CHECK(*rounded_div(5, 3, RoundMode::Down) == 1);
  CHECK(*rounded_div(-5, 3, RoundMode::Down) == -2);
  CHECK(*rounded_div(4, 3, RoundMode::Up) == 2);
  CHECK(*rounded_div(-4, 3, RoundMode::Up) == -1);
  CHECK(*rounded_div(6, 3, RoundMode::Up) == 2);
  CHECK(*rounded_div(7, -2, RoundMode::HalfUp) == -4);
  // 1035.015 元 rounds to 1035.02 元: 69001 分 × 3/2.
  CHECK(*rounded_div(__int128{69001} * 3, 2, RoundMode::HalfUp) == 103502);
  const __int128 huge = static_cast<__int128>(INT64_MAX) * 4;
  CHECK_FALSE(rounded_div(huge, 2, RoundMode::HalfUp).has_value());
}

TEST_CASE("rounding: the 64-bit path and the 128-bit path agree") {
  // num/den and (num·2^64)/(den·2^64) are the same quotient; the second
  // takes the 128-bit path. Halves, near-halves, signs, every mode.
  const __int128 wide = static_cast<__int128>(1) << 64;
  const int64_t nums[] = {0, 1, -1, 5, -5, 7, -7, 69001 * 3, -69001 * 3, 999999999999, -999999999999, INT64_MAX,
                          -INT64_MAX, INT64_MAX - 1};
  const int64_t dens[] = {1, 2, 3, -2, 7, 100, 101, 1000003, INT64_MAX, 4611686018427387904};
  for (int64_t n : nums)
    for (int64_t d : dens)
      for (RoundMode mode : {RoundMode::HalfUp, RoundMode::Down, RoundMode::Up}) {
        CAPTURE(n);
        CAPTURE(d);
        CHECK(rounded_div(n, d, mode) == rounded_div(n * wide, d * wide, mode));
      }
}
