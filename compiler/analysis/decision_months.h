// Which months matter: one definition for the proofs, diff and the check
// for missing values.
#pragma once
#include <cstdint>
#include <set>
#include <vector>

namespace doudi {

// The months to decide in, given the days where values start or stop: the
// first (a year before any), each month of a change and its neighbours, and
// each January after one (上年度 reads 31 December). Between them nothing a
// rule reads changes but the month itself, and a household's dates are
// symbolic, so these months stand for all.
std::vector<int64_t> decision_months(const std::set<int64_t>& bounds);

}  // namespace doudi
