// Exact ratios (比例): a normalized fraction of two 64-bit integers.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace doudi {

struct Ratio {
  int64_t num = 0;
  int64_t den = 1;  // always > 0, gcd(num, den) == 1

  static std::optional<Ratio> make(__int128 num, __int128 den);
  friend bool operator==(const Ratio&, const Ratio&) = default;
};

std::optional<Ratio> ratio_add(Ratio a, Ratio b);
std::optional<Ratio> ratio_sub(Ratio a, Ratio b);
std::optional<Ratio> ratio_mul(Ratio a, Ratio b);
std::optional<Ratio> ratio_div(Ratio a, Ratio b);  // nullopt also when b == 0
int ratio_compare(Ratio a, Ratio b);               // -1, 0, 1

// Parses "1.5", "20" or "20%" (with percent=true) exactly.
std::optional<Ratio> parse_decimal_ratio(const std::string& text, bool percent);

// "3/2" style, or a short decimal when the ratio is a whole number of 1/100.
std::string format_ratio(Ratio r);

}  // namespace doudi
