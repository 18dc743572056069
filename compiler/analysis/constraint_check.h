// Static check of 约束: every constraint over parameters, in every
// jurisdiction it binds, on every date where one of its inputs (or its own
// validity) changes and on the first day of every month in between. The
// values are constants, so evaluating on those dates is a complete check;
// no solver is needed.
#pragma once
#include <vector>

#include "runtime/ir/ir.h"
#include "runtime/interp/trace.h"

namespace doudi {

struct ConstraintViolation {
  uint32_t constraint;
  uint32_t jurisdiction;
  int64_t first_day;             // the first date it fails
  std::vector<ParamRead> reads;  // the values it read there
  std::string why_zh, why_en;    // the part that fails, with its values (325 元/月 < 333.33 元/月)
};

// `skip[j]` leaves jurisdiction j out (test fixtures). Constraints that
// cannot be evaluated somewhere (a value missing) are not violations.
std::vector<ConstraintViolation> check_constraints(const ir::Module& m, const std::vector<bool>& skip);

}  // namespace doudi
