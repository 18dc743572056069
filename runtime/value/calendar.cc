#include "runtime/value/calendar.h"

#include <fmt/format.h>

namespace doudi {

// Howard Hinnant's days_from_civil / civil_from_days.
int64_t days_from_civil(CivilDate d) {
  int64_t y = d.year - (d.month <= 2 ? 1 : 0);
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t mp = (d.month + 9) % 12;
  const int64_t doy = (153 * mp + 2) / 5 + d.day - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilDate civil_from_days(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = yoe + era * 400;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const auto d = static_cast<uint32_t>(doy - (153 * mp + 2) / 5 + 1);
  const auto m = static_cast<uint32_t>(mp < 10 ? mp + 3 : mp - 9);
  return {static_cast<int32_t>(y + (m <= 2 ? 1 : 0)), m, d};
}

uint32_t days_in_month(int32_t year, uint32_t month) {
  static const uint32_t kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2) {
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return leap ? 29 : 28;
  }
  return kDays[month - 1];
}

bool is_valid_civil(CivilDate d) {
  return d.year >= 1 && d.year <= 9999 && d.month >= 1 && d.month <= 12 && d.day >= 1 &&
         d.day <= days_in_month(d.year, d.month);
}

int64_t first_day_of(int64_t ym) { return days_from_civil({ym_year(ym), ym_month(ym), 1}); }

int64_t year_month_of_date(int64_t days) {
  const auto c = civil_from_days(days);
  return year_month_of(c.year, c.month);
}

bool day_in_range(int64_t days) {
  static const int64_t first = days_from_civil({1, 1, 1}), last = days_from_civil({9999, 12, 31});
  return days >= first && days <= last;
}

std::optional<int64_t> add_months_to_date(int64_t days, int64_t months) {
  if (!day_in_range(days)) return std::nullopt;
  const auto c = civil_from_days(days);
  if (months > 120000 || months < -120000) return std::nullopt;
  const int64_t ym = year_month_of(c.year, c.month) + months;
  const int32_t y = ym_year(ym);
  const uint32_t m = ym_month(ym);
  if (y < 1 || y > 9999) return std::nullopt;
  const uint32_t d = std::min(c.day, days_in_month(y, m));
  return days_from_civil({y, m, d});
}

namespace {

bool parse_digits(std::string_view s, size_t pos, size_t n, uint32_t& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + static_cast<uint32_t>(s[i] - '0');
  }
  return true;
}

}  // namespace

std::optional<int64_t> parse_date(std::string_view s) {
  uint32_t y, m, d;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !parse_digits(s, 0, 4, y) || !parse_digits(s, 5, 2, m) ||
      !parse_digits(s, 8, 2, d))
    return std::nullopt;
  const CivilDate c{static_cast<int32_t>(y), m, d};
  if (!is_valid_civil(c)) return std::nullopt;
  return days_from_civil(c);
}

std::optional<int64_t> parse_year_month(std::string_view s) {
  uint32_t y, m;
  if (s.size() != 7 || s[4] != '-' || !parse_digits(s, 0, 4, y) || !parse_digits(s, 5, 2, m)) return std::nullopt;
  if (y < 1 || m < 1 || m > 12) return std::nullopt;
  return year_month_of(static_cast<int32_t>(y), m);
}

std::string format_date(int64_t days) {
  // Dates of a range the rules never produce (a crafted bundle's constant)
  // print as a number of days rather than overflow the calendar.
  if (!day_in_range(days) && days != INT64_MIN && days != INT64_MAX) return fmt::format("day {}", days);
  if (!day_in_range(days)) return days < 0 ? "-∞" : "∞";
  const auto c = civil_from_days(days);
  return fmt::format("{:04}-{:02}-{:02}", c.year, c.month, c.day);
}

std::string format_year_month(int64_t ym) {
  if (!year_month_in_range(ym)) return fmt::format("month {}", ym);
  return fmt::format("{:04}-{:02}", ym_year(ym), ym_month(ym));
}

}  // namespace doudi
