// Dates and year-months as people write them (2022年6月1日, ２０２２／６／１,
// 2022.06) and what to tell them when one is not a date. The parser, the
// record loader and the command line all answer with these, so a month is
// explained the same way wherever it was written.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace doudi {

// The ASCII digit a code point stands for (0-9 and full-width ０-９), or -1.
int digit_value(char32_t c);

// The runs of digits in `text`, as ASCII: 2022年6月1日 → 2022, 6, 1.
std::vector<std::string> digit_runs(std::string_view text);

// The canonical date (`date`) or year-month that `text`'s digits spell
// (2022年6月 → 2022-06, 2022/6/1 → 2022-06-01), if they spell a real one in
// year, month (and day) order; empty otherwise.
std::string date_meant(std::string_view text, bool date);

// Why a canonical date or year-month that does not parse is not one, naming
// the part that is wrong (year, month or day), as a bilingual argument.
std::string why_not_a_date(const std::string& canonical);

// What to write instead of `text` where a date (`date`) or a year-month is
// needed, as a bilingual argument: the one meant, the part out of range, or
// the form.
std::string date_hint(std::string_view text, bool date);

}  // namespace doudi
