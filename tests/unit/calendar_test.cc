#include <doctest/doctest.h>

#include "runtime/value/calendar.h"

using namespace doudi;

TEST_CASE("dates round-trip through day numbers") {
  CHECK(*parse_date("1970-01-01") == 0);
  CHECK(*parse_date("2000-03-01") - *parse_date("2000-02-28") == 2);  // 2000 is a leap year
  CHECK(*parse_date("1900-03-01") - *parse_date("1900-02-28") == 1);  // 1900 is not
  CHECK(format_date(*parse_date("2024-02-29")) == "2024-02-29");
  CHECK_FALSE(parse_date("2023-02-29").has_value());
  CHECK_FALSE(parse_date("2022-13-01").has_value());
  CHECK_FALSE(parse_date("2022-1-01").has_value());
  CHECK_FALSE(parse_date("0000-01-01").has_value());
}

TEST_CASE("year-months and month arithmetic") {
  const auto ym = *parse_year_month("2022-06");
  CHECK(ym_year(ym) == 2022);
  CHECK(ym_month(ym) == 6);
  CHECK(format_year_month(ym + 7) == "2023-01");
  CHECK(*parse_year_month("2023-01") - *parse_year_month("2022-07") == 6);
  CHECK(format_date(first_day_of(ym)) == "2022-06-01");
  CHECK(year_month_of_date(*parse_date("2022-06-30")) == ym);
  CHECK_FALSE(parse_year_month("2022-00").has_value());
}

TEST_CASE("adding months to a date clamps to the end of the month") {
  CHECK(format_date(*add_months_to_date(*parse_date("2024-01-31"), 1)) == "2024-02-29");
  CHECK(format_date(*add_months_to_date(*parse_date("2023-01-31"), 1)) == "2023-02-28");
  CHECK(format_date(*add_months_to_date(*parse_date("2022-08-15"), -8)) == "2021-12-15");
  CHECK(format_date(*add_months_to_date(*parse_date("2020-12-31"), 18)) == "2022-06-30");
  CHECK_FALSE(add_months_to_date(*parse_date("9999-12-01"), 1).has_value());
}

TEST_CASE("days in month") {
  CHECK(days_in_month(2024, 2) == 29);
  CHECK(days_in_month(2100, 2) == 28);
  CHECK(days_in_month(2022, 4) == 30);
}
