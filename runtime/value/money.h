// Money is an integer number of 分 (1/100 元). Parsing and printing are exact.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/value/checked.h"
#include "runtime/value/ratio.h"

namespace doudi {

enum class Period : uint8_t { None, Month, Year };

// "1900", "1900.5", "1900.50" → 分. Error text (English) when it is not exact.
struct MoneyParse {
  std::optional<int64_t> fen;
  std::string error;  // "more than two decimal places", "too large", "not a number"
};
MoneyParse parse_money_yuan(std::string_view text);

// 190050 → "1900.50"
std::string format_fen(int64_t fen);
// The same, appended to `out` (no allocation of its own).
void append_fen(std::string& out, int64_t fen);
// Always with two decimals: 82800 → "828.00" (the service's amounts, which
// clients show as they come).
std::string format_fen_fixed(int64_t fen);

// Money scaled by a ratio: fen × factor, or fen ÷ factor (factor ≠ 0), taken
// exactly as num/den and then rounded by `mode`. The one kernel behind the
// interpreter's money instructions and the checker's constant folding, so a
// constant and the same expression at run time agree to the 分. nullopt on
// overflow; `exact` (if given) receives num/den for the trace's rounding note.
struct ExactFen {
  __int128 num = 0, den = 1;
};
std::optional<int64_t> scale_money(int64_t fen, Ratio factor, bool divide, RoundMode mode, ExactFen* exact = nullptr);

}  // namespace doudi
