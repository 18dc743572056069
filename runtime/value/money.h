// Money is an integer number of 分 (1/100 元). Parsing and printing are exact.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

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

}  // namespace doudi
