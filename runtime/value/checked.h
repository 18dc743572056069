// Checked 64-bit integer arithmetic for money (分), counts and durations.
// Overflow is reported, never wrapped.
#pragma once
#include <cstdint>
#include <optional>

namespace doudi {

inline std::optional<int64_t> checked_add(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) return std::nullopt;
  return r;
}
inline std::optional<int64_t> checked_sub(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_sub_overflow(a, b, &r)) return std::nullopt;
  return r;
}
inline std::optional<int64_t> checked_mul(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_mul_overflow(a, b, &r)) return std::nullopt;
  return r;
}
inline std::optional<int64_t> checked_neg(int64_t a) {
  if (a == INT64_MIN) return std::nullopt;
  return -a;
}

// How a quotient that is not whole becomes an integer. HalfUp is 四舍五入:
// halves round away from zero. Down is floor, Up is ceiling.
enum class RoundMode : uint8_t { HalfUp, Down, Up };

// The truncated quotient q and remainder r of n / d (d > 0) moved to n / d
// rounded by `mode`. A non-zero r has n's sign; |r| ≥ d − |r| is 2·|r| ≥ d
// without overflowing.
template <typename I>
constexpr I apply_rounding(I q, I r, I d, RoundMode mode) {
  if (r == 0) return q;
  switch (mode) {
    case RoundMode::HalfUp: {
      const I magnitude = r < 0 ? -r : r;
      return magnitude >= d - magnitude ? q + (r < 0 ? -1 : 1) : q;
    }
    case RoundMode::Down: return r < 0 ? q - 1 : q;
    case RoundMode::Up: return r > 0 ? q + 1 : q;
  }
  return q;
}

// num / den rounded as asked; den must be non-zero. nullopt on overflow.
std::optional<int64_t> rounded_div(__int128 num, __int128 den, RoundMode mode);

}  // namespace doudi
