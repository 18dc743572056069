// Numbers and dates as officers write them (full-width digits, 2022年6月1日)
// and their canonical ASCII text. No ANTLR type appears here: these work on
// a token's text, so the token pass, the AST builder and tests share them.
#pragma once
#include <string>
#include <string_view>

#include "compiler/ast/keywords.h"

namespace doudi::parse_detail {

// The canonical text of a NUMBER, PERCENT, DATE or YEARMONTH token: ０-９,
// －, ． and ％ become ASCII; 2022年6月1日 becomes 2022-06-01 and 2022年6月
// 2022-06. Text already canonical comes back unchanged.
std::string canonical_literal(std::string_view text);

// Whether a literal token uses a spelling only Chinese files accept
// (full-width digits, －, ．, 年月日). `％` is not one: both dialects take it.
bool spelled_the_chinese_way(std::string_view text);

// For a token that is almost a date (2022-6-1, 2022年6月1号): what to write
// instead, as a bilingual diagnostic argument. When the intended date is
// clear it is suggested in full, in the forms the file's dialect accepts.
std::string date_form_to_write(std::string_view text, Dialect dialect);

// Where a date (or, `date` false, a year-month) is needed and `text` was
// written: the one it most likely means (2022年6月 → 2022-06-01, 2022/6/1 →
// 2022-06-01), as a bilingual argument; empty when none is clear.
std::string intended_form(std::string_view text, bool date, Dialect dialect);
// How a date is written, as a bilingual argument.
std::string date_example(Dialect dialect);
// How a year-month is written, as a bilingual argument.
std::string month_form_to_write(Dialect dialect);

// why_not_a_date: runtime/source/date_spellings.h.

}  // namespace doudi::parse_detail
