#include <doctest/doctest.h>

#include "runtime/value/ratio.h"

using namespace doudi;

TEST_CASE("ratios are exact and normalized") {
  CHECK(*parse_decimal_ratio("20", true) == Ratio{1, 5});
  CHECK(*parse_decimal_ratio("1.5", false) == Ratio{3, 2});
  CHECK(*parse_decimal_ratio("0.125", false) == Ratio{1, 8});
  CHECK_FALSE(parse_decimal_ratio("1.2.3", false).has_value());
  CHECK(*Ratio::make(6, -4) == Ratio{-3, 2});
  CHECK_FALSE(Ratio::make(1, 0).has_value());
  CHECK(*ratio_add(Ratio{1, 3}, Ratio{1, 6}) == Ratio{1, 2});
  CHECK(*ratio_mul(Ratio{13, 10}, Ratio{10, 13}) == Ratio{1, 1});
  CHECK_FALSE(ratio_div(Ratio{1, 2}, Ratio{0, 1}).has_value());
  CHECK(ratio_compare(Ratio{1, 3}, Ratio{333, 1000}) == 1);
  CHECK(ratio_compare(Ratio{-1, 2}, Ratio{1, 2}) == -1);
  CHECK_FALSE(ratio_mul(Ratio{INT64_MAX, 1}, Ratio{2, 1}).has_value());
}

TEST_CASE("ratios: the 64-bit path normalizes as the 128-bit path does") {
  const __int128 wide = static_cast<__int128>(1) << 64;
  const int64_t nums[] = {0, 1, -1, 6, -6, 35, 100, -250, INT64_MAX, -INT64_MAX, 4611686018427387904};
  const int64_t dens[] = {1, 2, -4, 10, 100, 35, -35, INT64_MAX, 4611686018427387904};
  for (int64_t n : nums)
    for (int64_t d : dens) {
      CAPTURE(n);
      CAPTURE(d);
      CHECK(Ratio::make(n, d) == Ratio::make(n * wide, d * wide));
    }
}

TEST_CASE("ratios print as short decimals when they terminate") {
  CHECK(format_ratio(Ratio{1, 5}) == "0.2");
  CHECK(format_ratio(Ratio{3, 2}) == "1.5");
  CHECK(format_ratio(Ratio{-1, 8}) == "-0.125");
  CHECK(format_ratio(Ratio{1, 3}) == "1/3");
  CHECK(format_ratio(Ratio{7, 1}) == "7");
}
