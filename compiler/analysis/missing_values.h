// Static check for parameters an output reads where no value is in force:
// the decision would stop at run time. Checked in every jurisdiction where
// decisions are made (those with none below them), on every day a value
// applying there starts or ends, from the first day the module has a value
// set for that jurisdiction or a level above it other than the root.
#pragma once
#include <vector>

#include "runtime/ir/ir.h"

namespace doudi {

struct MissingValue {
  uint32_t param;
  uint32_t jurisdiction;
  int64_t first_day;   // first day with no value; INT64_MIN: every day before last_day
  int64_t last_day;    // INT64_MAX: still missing after every value known
  uint32_t output;     // an output that reads it
  bool last_year;      // read as 上年度: the missing value is the previous December's
};

// `skip[j]` leaves jurisdiction j out (test fixtures). `starts[j]`, when
// not INT64_MIN, is the first day of the deployment being checked there (its
// earliest dated value): months before it are not the deployment's concern.
std::vector<MissingValue> check_missing_values(const ir::Module& m, const std::vector<bool>& skip,
                                               const std::vector<int64_t>& starts = {});

}  // namespace doudi
