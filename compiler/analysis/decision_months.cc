#include "compiler/analysis/decision_months.h"

#include <algorithm>

#include "runtime/value/calendar.h"

namespace doudi {

std::vector<int64_t> decision_months(const std::set<int64_t>& bounds) {
  if (bounds.empty()) return {year_month_of(2020, 1)};
  const int64_t lo = year_month_of_date(*bounds.begin()) - 12, hi = year_month_of_date(*bounds.rbegin()) + 12;
  std::set<int64_t> months{lo};
  for (int64_t b : bounds) {
    const int64_t ym = year_month_of_date(b);
    for (int64_t d = -1; d <= 1; ++d) months.insert(std::clamp(ym + d, lo, hi));
    // 上年度 reads the value of 31 December: it moves the January after.
    months.insert(std::clamp(year_month_of(ym_year(ym) + 1, 1), lo, hi));
  }
  return {months.begin(), months.end()};
}

}  // namespace doudi
