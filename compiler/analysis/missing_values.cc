#include "compiler/analysis/missing_values.h"

#include <algorithm>
#include <set>

#include "compiler/analysis/decision_months.h"
#include "compiler/analysis/unused_definitions.h"
#include "runtime/value/calendar.h"

namespace doudi {
namespace {

struct Reads {
  std::vector<uint32_t> current_by;    // per parameter: an output reading it this month, or UINT32_MAX
  std::vector<uint32_t> last_year_by;  // the same for 上年度
};

// Which parameters each output reaches through calls (and rule branches) in
// decisions made in `jurisdiction`.
Reads parameter_reads(const ir::Module& m, uint32_t jurisdiction) {
  Reads r{std::vector<uint32_t>(m.params.size(), UINT32_MAX), std::vector<uint32_t>(m.params.size(), UINT32_MAX)};
  for (uint32_t o = 0; o < m.outputs.size(); ++o) {
    const auto reached = reachable_functions(m, {m.outputs[o].function}, jurisdiction);
    for (uint32_t f = 0; f < m.functions.size(); ++f) {
      if (!reached[f]) continue;
      for (const auto& in : m.functions[f].code) {
        if (in.op == ir::Op::Param && r.current_by[in.a] == UINT32_MAX) r.current_by[in.a] = o;
        if (in.op == ir::Op::ParamLastYear && r.last_year_by[in.a] == UINT32_MAX) r.last_year_by[in.a] = o;
      }
    }
  }
  return r;
}


}  // namespace

std::vector<MissingValue> check_missing_values(const ir::Module& m, const std::vector<bool>& skip,
                                               const std::vector<int64_t>& starts) {
  std::vector<MissingValue> out;
  std::vector<bool> has_children(m.jurisdictions.size(), false);
  for (const auto& j : m.jurisdictions)
    if (j.parent < m.jurisdictions.size()) has_children[j.parent] = true;
  for (uint32_t j = 0; j < m.jurisdictions.size(); ++j) {
    if (has_children[j] || (j < skip.size() && skip[j])) continue;
    const Reads reads = parameter_reads(m, j);
    // Decisions read values on the first day of a month: the months where
    // some value applying here starts or stops are the ones to look at.
    std::set<int64_t> bounds;
    int64_t start = INT64_MAX;
    for (uint32_t p = 0; p < m.params.size(); ++p) {
      if (reads.current_by[p] == UINT32_MAX && reads.last_year_by[p] == UINT32_MAX) continue;
      for (const auto& v : m.params[p].values) {
        if (!m.is_within(j, v.jurisdiction)) continue;
        if (v.jurisdiction != UINT32_MAX) start = std::min(start, v.from);
        if (v.from != INT64_MIN) bounds.insert(v.from);
        if (v.until != INT64_MAX) bounds.insert(v.until + 1);
      }
    }
    if (start == INT64_MAX) continue;  // nothing is set for this jurisdiction: the module is not used there
    if (j < starts.size() && starts[j] != INT64_MIN) start = std::max(start, starts[j]);
    const std::vector<int64_t> months = decision_months(bounds);
    for (uint32_t p = 0; p < m.params.size(); ++p) {
      for (const bool last_year : {false, true}) {
        const uint32_t by = last_year ? reads.last_year_by[p] : reads.current_by[p];
        if (by == UINT32_MAX) continue;
        std::optional<MissingValue> open;
        for (int64_t ym : months) {
          const int64_t day = first_day_of(ym);
          if (day < start) continue;
          const int64_t read_day = last_year ? days_from_civil({ym_year(ym) - 1, 12, 31}) : day;
          const bool found = m.value_in_force(p, j, read_day) != UINT32_MAX;
          // Missing in the first month looked at, where values have no start
          // date: missing at every date before too.
          const int64_t first = start == INT64_MIN && ym == months.front() ? INT64_MIN : day;
          if (!found && !open) open = MissingValue{p, j, first, INT64_MAX, by, last_year};
          if (found && open) {
            open->last_day = day - 1;
            out.push_back(*open);
            open.reset();
          }
        }
        if (open) out.push_back(*open);
      }
    }
  }
  return out;
}

}  // namespace doudi
