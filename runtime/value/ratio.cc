#include "runtime/value/ratio.h"

#include <numeric>

namespace doudi {
namespace {

__int128 gcd128(__int128 a, __int128 b) {
  if (a < 0) a = -a;
  if (b < 0) b = -b;
  while (b != 0) {
    __int128 t = a % b;
    a = b;
    b = t;
  }
  return a;
}

}  // namespace

std::optional<Ratio> Ratio::make(__int128 num, __int128 den) {
  if (den == 0) return std::nullopt;
  if (den < 0) { num = -num; den = -den; }
  // The 64-bit path: the same result without 128-bit division.
  if (num >= -INT64_MAX && num <= INT64_MAX && den <= INT64_MAX) {
    const auto n = static_cast<int64_t>(num), d = static_cast<int64_t>(den);
    if (d == 1) return Ratio{n, 1};
    const auto g = static_cast<int64_t>(std::gcd(static_cast<uint64_t>(n < 0 ? -n : n), static_cast<uint64_t>(d)));
    return g > 1 ? Ratio{n / g, d / g} : Ratio{n, d};
  }
  const __int128 g = gcd128(num, den);
  if (g > 1) { num /= g; den /= g; }
  if (num > INT64_MAX || num < INT64_MIN || den > INT64_MAX) return std::nullopt;
  return Ratio{static_cast<int64_t>(num), static_cast<int64_t>(den)};
}

std::optional<Ratio> ratio_add(Ratio a, Ratio b) {
  return Ratio::make(static_cast<__int128>(a.num) * b.den + static_cast<__int128>(b.num) * a.den,
                     static_cast<__int128>(a.den) * b.den);
}
std::optional<Ratio> ratio_sub(Ratio a, Ratio b) {
  return Ratio::make(static_cast<__int128>(a.num) * b.den - static_cast<__int128>(b.num) * a.den,
                     static_cast<__int128>(a.den) * b.den);
}
std::optional<Ratio> ratio_mul(Ratio a, Ratio b) {
  return Ratio::make(static_cast<__int128>(a.num) * b.num, static_cast<__int128>(a.den) * b.den);
}
std::optional<Ratio> ratio_div(Ratio a, Ratio b) {
  if (b.num == 0) return std::nullopt;
  return Ratio::make(static_cast<__int128>(a.num) * b.den, static_cast<__int128>(a.den) * b.num);
}
int ratio_compare(Ratio a, Ratio b) {
  const __int128 l = static_cast<__int128>(a.num) * b.den;
  const __int128 r = static_cast<__int128>(b.num) * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

std::optional<Ratio> parse_decimal_ratio(const std::string& text, bool percent) {
  __int128 num = 0, den = 1;
  bool seen_dot = false, any_digit = false;
  for (char c : text) {
    if (c == '.') {
      if (seen_dot) return std::nullopt;
      seen_dot = true;
    } else if (c >= '0' && c <= '9') {
      any_digit = true;
      num = num * 10 + (c - '0');
      if (seen_dot) den *= 10;
      if (num > INT64_MAX || den > INT64_MAX) return std::nullopt;
    } else {
      return std::nullopt;
    }
  }
  if (!any_digit) return std::nullopt;
  if (percent) den *= 100;
  return Ratio::make(num, den);
}

std::string format_ratio(Ratio r) {
  if (r.den == 1) return std::to_string(r.num);
  // Show a decimal when it terminates within 4 places (20%, 1.5, 0.125).
  for (int64_t scale : {10, 100, 1000, 10000}) {
    if (scale % r.den == 0) {
      const int64_t v = r.num * (scale / r.den);
      std::string digits = std::to_string(v < 0 ? -v : v);
      const size_t places = std::to_string(scale).size() - 1;
      while (digits.size() <= places) digits.insert(digits.begin(), '0');
      std::string out = (v < 0 ? "-" : "") + digits.substr(0, digits.size() - places) + "." +
                        digits.substr(digits.size() - places);
      return out;
    }
  }
  return std::to_string(r.num) + "/" + std::to_string(r.den);
}

}  // namespace doudi
