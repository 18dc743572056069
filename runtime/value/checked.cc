#include "runtime/value/checked.h"

namespace doudi {

std::optional<int64_t> rounded_div(__int128 num, __int128 den, RoundMode mode) {
  if (den < 0) { num = -num; den = -den; }
  __int128 q = num / den;
  __int128 r = num % den;  // same sign as num
  if (r != 0) {
    switch (mode) {
      case RoundMode::HalfUp:
        if (2 * (r < 0 ? -r : r) >= den) q += (num < 0 ? -1 : 1);
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
