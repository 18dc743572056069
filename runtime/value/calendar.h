// Dates are days since 1970-01-01; year-months are months since 0000-01.
// Both are plain integers so the IR and a JIT treat them like any int64.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace doudi {

struct CivilDate {
  int32_t year;
  uint32_t month;  // 1..12
  uint32_t day;    // 1..31
};

int64_t days_from_civil(CivilDate d);
CivilDate civil_from_days(int64_t days);
bool is_valid_civil(CivilDate d);
uint32_t days_in_month(int32_t year, uint32_t month);

inline int64_t year_month_of(int32_t year, uint32_t month) { return int64_t{year} * 12 + (month - 1); }
inline int32_t ym_year(int64_t ym) { return static_cast<int32_t>(ym >= 0 ? ym / 12 : (ym - 11) / 12); }
inline uint32_t ym_month(int64_t ym) { return static_cast<uint32_t>(ym - int64_t{ym_year(ym)} * 12 + 1); }

// Whether a year-month or a date (days) lies in the years 1 to 9999, the
// range the calendar functions handle; the interpreter checks values from
// a bundle before it hands them over (E1007).
inline bool year_month_in_range(int64_t ym) { return ym >= year_month_of(1, 1) && ym <= year_month_of(9999, 12); }
bool day_in_range(int64_t days);

// First day of a year-month, as a date.
int64_t first_day_of(int64_t ym);
int64_t year_month_of_date(int64_t days);

// date + n months: the day is clamped to the target month's length
// (2024-01-31 + 1 month = 2024-02-29). nullopt if out of range.
std::optional<int64_t> add_months_to_date(int64_t days, int64_t months);

// "2022-06-01" and "2022-06"; nullopt if malformed or not a real date.
std::optional<int64_t> parse_date(std::string_view text);
std::optional<int64_t> parse_year_month(std::string_view text);

std::string format_date(int64_t days);
std::string format_year_month(int64_t ym);

}  // namespace doudi
