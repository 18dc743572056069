#include "compiler/parse/literal_forms.h"

#include <fmt/format.h>

#include <cstdlib>
#include <vector>

#include "runtime/diag/diagnostic.h"
#include "runtime/source/date_spellings.h"
#include "runtime/source/utf8.h"
#include "runtime/value/calendar.h"

namespace doudi::parse_detail {
namespace {

std::string two_digits(const std::string& run) { return run.size() == 1 ? "0" + run : run; }

// year-month or year-month-day from digit runs already checked to fit.
std::string joined(const std::vector<std::string>& runs) {
  std::string out = runs[0] + "-" + two_digits(runs[1]);
  if (runs.size() > 2) out += "-" + two_digits(runs[2]);
  return out;
}

}  // namespace

std::string canonical_literal(std::string_view text) {
  if (text.find("年") != std::string_view::npos) {
    const auto runs = digit_runs(text);
    if (runs.size() >= 2) return joined(runs);  // the lexer's DATE/YEARMONTH forms
  }
  std::string out;
  for (size_t pos = 0; pos < text.size();) {
    const size_t start = pos;
    const char32_t c = decode_utf8(text, pos);
    if (const int d = digit_value(c); d >= 0) out += static_cast<char>('0' + d);
    else if (c == U'－') out += '-';
    else if (c == U'．') out += '.';
    else if (c == U'％') out += '%';
    else out.append(text.substr(start, pos - start));
  }
  return out;
}

bool spelled_the_chinese_way(std::string_view text) {
  for (size_t pos = 0; pos < text.size();) {
    const char32_t c = decode_utf8(text, pos);
    if ((c >= U'０' && c <= U'９') || c == U'－' || c == U'．' || c == U'年') return true;
  }
  return false;
}

namespace {

// The date (3 digit runs) or year-month (2) the runs spell, in the forms the
// dialect accepts; empty when they spell none.
std::string spelled_form(const std::vector<std::string>& runs, Dialect dialect) {
  const bool fits = (runs.size() == 2 || runs.size() == 3) && runs[0].size() == 4 &&
                    runs[1].size() <= 2 && runs.back().size() <= 2;
  if (!fits) return {};
  const std::string canonical = joined(runs);
  const bool valid = runs.size() == 3 ? parse_date(canonical).has_value() : parse_year_month(canonical).has_value();
  if (!valid) return {};
  if (dialect == Dialect::En) return fmt::format("`{}`", canonical);
  std::string zh = fmt::format("{}年{}月", runs[0], std::atoi(runs[1].c_str()));
  if (runs.size() == 3) zh += fmt::format("{}日", std::atoi(runs[2].c_str()));
  return bilingual(fmt::format("`{}`（或 `{}`）", canonical, zh), fmt::format("`{}` (or `{}`)", canonical, zh));
}

}  // namespace

std::string intended_form(std::string_view text, bool date, Dialect dialect) {
  auto runs = digit_runs(text);
  if (date && runs.size() == 2) runs.push_back("1");  // a month where a day is needed: its first day
  if (!date && runs.size() == 3) runs.pop_back();
  if (runs.size() != (date ? 3u : 2u)) return {};
  return spelled_form(runs, dialect);
}

std::string date_form_to_write(std::string_view text, Dialect dialect) {
  if (auto form = spelled_form(digit_runs(text), dialect); !form.empty()) return form;
  if (dialect == Dialect::En)
    return bilingual("`2022-06-01` 这样的日期（年月如 `2022-06`）",
                     "a date such as `2022-06-01` (a year-month: `2022-06`)");
  return bilingual("`2022-06-01` 或 `2022年6月1日` 这样的日期（年月如 `2022-06` 或 `2022年6月`）",
                   "a date such as `2022-06-01` or `2022年6月1日` (a year-month: `2022-06` or `2022年6月`)");
}

std::string date_example(Dialect dialect) {
  if (dialect == Dialect::En) return "`2022-06-01`";
  return bilingual("`2022-06-01`（或 `2022年6月1日`）", "`2022-06-01` (or `2022年6月1日`)");
}

std::string month_form_to_write(Dialect dialect) {
  if (dialect == Dialect::En) return "`2022-06`";
  return bilingual("`2022-06`（或 `2022年6月`）", "`2022-06` (or `2022年6月`)");
}

}  // namespace doudi::parse_detail
