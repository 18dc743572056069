#include "runtime/value/checked.h"

namespace doudi {

std::optional<int64_t> rounded_div(__int128 num, __int128 den, RoundMode mode) {
  if (den < 0) { num = -num; den = -den; }
  // Almost every amount fits in 64 bits, where division is several times
  // faster than the 128-bit library call; the rounding is the same.
  if (num >= -INT64_MAX && num <= INT64_MAX && den <= INT64_MAX) {
    const auto n = static_cast<int64_t>(num), d = static_cast<int64_t>(den);
    int64_t q = n / d;
    const int64_t r = n % d;
    if (r != 0) {
      switch (mode) {
        case RoundMode::HalfUp:
          if ((r < 0 ? -r : r) >= d - (r < 0 ? -r : r)) q += (n < 0 ? -1 : 1);
          break;
        case RoundMode::Down:
          if (r < 0) q -= 1;
          break;
        case RoundMode::Up:
          if (r > 0) q += 1;
          break;
      }
    }
    return q;
  }
  __int128 q = num / den;
  __int128 r = num % den;  // same sign as num
  if (r != 0) {
    switch (mode) {
      case RoundMode::HalfUp:
        // |r| ≥ den − |r| is 2·|r| ≥ den without overflowing near 2^127.
        if ((r < 0 ? -r : r) >= den - (r < 0 ? -r : r)) q += (num < 0 ? -1 : 1);
        break;
      case RoundMode::Down:
        if (r < 0) q -= 1;
        break;
      case RoundMode::Up:
        if (r > 0) q += 1;
        break;
    }
  }
  if (q > INT64_MAX || q < INT64_MIN) return std::nullopt;
  return static_cast<int64_t>(q);
}

}  // namespace doudi
