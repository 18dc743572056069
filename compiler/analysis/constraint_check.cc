#include "compiler/analysis/constraint_check.h"

#include <algorithm>
#include <set>

#include "runtime/explain/tree_reader.h"
#include "runtime/interp/interpreter.h"
#include "runtime/value/calendar.h"

namespace doudi {
namespace {

// The part of the constraint that fails, from its explanation tree: what a
// caseworker's explanation says of a condition.
std::string failing_part(const ir::Module& m, const TraceNode& root, uint32_t function, Lang lang) {
  if (function >= m.functions.size() || m.functions[function].tree.empty()) return {};
  for (const auto& c : root.children) {
    if (c->function != function || c->registers.size() != m.functions[function].regs.size()) continue;
    explain::TreeReader reader(m, root, lang, nullptr);
    const auto& f = m.functions[function];
    const explain::Said s = reader.why(explain::Frame{c.get(), &c->registers, &f}, static_cast<uint32_t>(f.tree.size() - 1));
    return explain::TreeReader::join(s.clauses, lang == Lang::Zh ? "；" : "; ");
  }
  return {};
}

void collect_reads(const TraceNode& n, std::vector<ParamRead>& out) {
  for (const auto& p : n.params) out.push_back(p);
  for (const auto& c : n.children) collect_reads(*c, out);
}

// Dates worth checking: every boundary of a value or a constraint, and the
// first day of every month from two years before the first boundary to two
// years after the last (上年度 and as-of lookups shift changes by up to that).
std::vector<int64_t> candidate_days(const ir::Module& m) {
  std::set<int64_t> days;
  auto add = [&](int64_t from, int64_t until) {
    if (from != INT64_MIN) days.insert(from);
    if (until != INT64_MAX) days.insert(until + 1);
  };
  for (const auto& p : m.params)
    for (const auto& v : p.values) add(v.from, v.until);
  for (const auto& c : m.constraints) add(c.from, c.until);
  const int64_t lo_limit = *parse_date("1990-01-01"), hi_limit = *parse_date("2100-12-31");
  int64_t lo = days.empty() ? *parse_date("2020-01-01") : *days.begin();
  int64_t hi = days.empty() ? lo : *days.rbegin();
  lo = std::max(lo_limit, lo);
  hi = std::min(hi_limit, hi);
  for (int64_t ym = year_month_of_date(lo) - 24; ym <= year_month_of_date(hi) + 24; ++ym) days.insert(first_day_of(ym));
  std::vector<int64_t> out;
  for (int64_t d : days)
    if (d >= lo_limit && d <= hi_limit) out.push_back(d);
  return out;
}

}  // namespace

std::vector<ConstraintViolation> check_constraints(const ir::Module& m, const std::vector<bool>& skip) {
  std::vector<ConstraintViolation> out;
  if (m.constraints.empty()) return out;
  const auto days = candidate_days(m);
  Interpreter interp(m);
  for (uint32_t j = 0; j < m.jurisdictions.size(); ++j) {
    if (j < skip.size() && skip[j]) continue;
    std::vector<bool> reported(m.constraints.size(), false);
    for (int64_t day : days) {
      interp.set_context_on_day(j, day);
      for (uint32_t c = 0; c < m.constraints.size(); ++c) {
        if (reported[c]) continue;
        bool in_force = false;
        EvalError error{};
        TraceRecorder trace;
        auto holds = interp.check_constraint(c, in_force, error, &trace);
        if (!in_force || !holds || *holds) continue;
        ConstraintViolation v{c, j, day, {}, {}, {}};
        collect_reads(trace.root(), v.reads);
        v.why_zh = failing_part(m, trace.root(), m.constraints[c].function, Lang::Zh);
        v.why_en = failing_part(m, trace.root(), m.constraints[c].function, Lang::En);
        out.push_back(std::move(v));
        reported[c] = true;
      }
    }
  }
  return out;
}

}  // namespace doudi
