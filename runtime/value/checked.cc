#include "runtime/value/checked.h"

namespace doudi {

std::optional<int64_t> rounded_div(__int128 num, __int128 den, RoundMode mode) {
  if (den < 0) { num = -num; den = -den; }
  // Almost every amount fits in 64 bits, where division is several times
  // faster than the 128-bit library call; the rounding is the same.
  if (num >= -INT64_MAX && num <= INT64_MAX && den <= INT64_MAX) {
    const auto n = static_cast<int64_t>(num), d = static_cast<int64_t>(den);
    return apply_rounding<int64_t>(n / d, n % d, d, mode);
  }
  const __int128 q = apply_rounding<__int128>(num / den, num % den, den, mode);
  if (q > INT64_MAX || q < INT64_MIN) return std::nullopt;
  return static_cast<int64_t>(q);
}

}  // namespace doudi
