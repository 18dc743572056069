#include "runtime/source/date_spellings.h"

#include <fmt/format.h>

#include <cstdlib>

#include "runtime/diag/diagnostic.h"
#include "runtime/source/utf8.h"
#include "runtime/value/calendar.h"

namespace doudi {

int digit_value(char32_t c) {
  if (c >= U'0' && c <= U'9') return static_cast<int>(c - U'0');
  if (c >= U'０' && c <= U'９') return static_cast<int>(c - U'０');
  return -1;
}

std::vector<std::string> digit_runs(std::string_view text) {
  std::vector<std::string> runs;
  bool in_run = false;
  for (size_t pos = 0; pos < text.size();) {
    const int d = digit_value(decode_utf8(text, pos));
    if (d < 0) {
      in_run = false;
      continue;
    }
    if (!in_run) runs.emplace_back();
    runs.back() += static_cast<char>('0' + d);
    in_run = true;
  }
  return runs;
}

std::string date_meant(std::string_view text, bool date) {
  const auto runs = digit_runs(text);
  if (runs.size() != (date ? 3u : 2u) || runs[0].size() != 4 || runs[1].size() > 2 || runs.back().size() > 2)
    return {};
  auto two = [](const std::string& r) { return r.size() == 1 ? "0" + r : r; };
  std::string out = runs[0] + "-" + two(runs[1]);
  if (date) out += "-" + two(runs[2]);
  const bool valid = date ? parse_date(out).has_value() : parse_year_month(out).has_value();
  return valid ? out : std::string();
}

std::string why_not_a_date(const std::string& canonical) {
  const int year = std::atoi(canonical.substr(0, 4).c_str());
  const int month = canonical.size() >= 7 ? std::atoi(canonical.substr(5, 2).c_str()) : 0;
  if (year < 1) return bilingual("年份应为 0001 至 9999", "the year must be 0001 to 9999");
  if (month < 1 || month > 12) return bilingual("月份应为 01 至 12", "the month must be 01 to 12");
  const uint32_t days = days_in_month(year, static_cast<uint32_t>(month));
  return bilingual(fmt::format("日应为 01 至 {}（{} 年 {} 月只有 {} 天）", days, year, month, days),
                   fmt::format("the day must be 01 to {} ({:04}-{:02} has {} days)", days, year, month, days));
}

namespace {

// YYYY-MM or YYYY-MM-DD in ASCII digits, whatever the numbers.
bool canonical_shape(std::string_view t, bool date) {
  if (t.size() != (date ? 10u : 7u)) return false;
  for (size_t i = 0; i < t.size(); ++i) {
    const bool dash = i == 4 || i == 7;
    if (dash ? t[i] != '-' : (t[i] < '0' || t[i] > '9')) return false;
  }
  return true;
}

}  // namespace

std::string date_hint(std::string_view text, bool date) {
  if (canonical_shape(text, date)) return why_not_a_date(std::string(text));
  if (const std::string meant = date_meant(text, date); !meant.empty())
    return bilingual(fmt::format("应写成 `{}`", meant), fmt::format("write `{}`", meant));
  return date ? bilingual("日期应写成 YYYY-MM-DD（如 `2022-06-01`）", "write a date as YYYY-MM-DD (such as `2022-06-01`)")
              : bilingual("月份应写成 YYYY-MM（如 `2022-06`）", "write a month as YYYY-MM (such as `2022-06`)");
}

}  // namespace doudi
