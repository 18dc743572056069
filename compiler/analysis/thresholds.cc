#include "compiler/analysis/thresholds.h"

#include <fmt/format.h>

#include <algorithm>

#include "compiler/analysis/household_sym.h"
#include "compiler/analysis/proof_bounds.h"
#include "compiler/analysis/solve.h"
#include "runtime/value/calendar.h"

namespace doudi {
namespace {

using smt::Sym;

// Edges looked for on each side of the household's value.
constexpr int kMaxEdgesEachWay = 6;
constexpr int kMaxSteps = 64;

class EdgeSearch {
 public:
  EdgeSearch(z3::context& ctx, std::vector<z3::expr> facts, z3::expr x, std::vector<Sym> outputs)
      : ctx_(ctx), facts_(std::move(facts)), x_(x), outputs_(std::move(outputs)) {}

  // The watched outputs' values where the field is `at`; false if the
  // solver cannot say.
  bool values_at(int64_t at, std::vector<z3::expr>& values) {
    auto q = smt::solve(ctx_, with({x_ == ctx_.int_val(at)}));
    if (q.result != z3::sat) return false;
    const z3::model m = q.solver.get_model();
    values.clear();
    for (const auto& o : outputs_) values.push_back(m.eval(*o.v, true));
    return true;
  }

  // The nearest value past `from` (above it, or below it) in [lo, hi] where
  // a watched output differs from `values`; none if there is none.
  // `unknown` is set when the solver gave up.
  std::optional<int64_t> nearest(int64_t from, const std::vector<z3::expr>& values, bool up, int64_t lo, int64_t hi,
                                 bool& unknown) {
    z3::expr_vector differs(ctx_);
    for (size_t i = 0; i < outputs_.size(); ++i) differs.push_back(*outputs_[i].v != values[i]);
    const z3::expr any = z3::mk_or(differs);
    int64_t a = up ? from + 1 : lo, b = up ? hi : from - 1;
    if (a > b) return std::nullopt;
    auto probe = [&](int64_t l, int64_t h) -> std::optional<int64_t> {
      auto q = smt::solve(ctx_, with({any, x_ >= ctx_.int_val(l), x_ <= ctx_.int_val(h)}));
      if (q.result == z3::unknown) unknown = true;
      if (q.result != z3::sat) return std::nullopt;
      int64_t v = 0;
      q.solver.get_model().eval(x_, true).is_numeral_i64(v);
      return v;
    };
    auto found = probe(a, b);
    if (!found) return std::nullopt;
    // Narrow to the nearest: halve the interval between `from` and the best.
    int64_t best = *found;
    for (int step = 0; step < kMaxSteps && !unknown; ++step) {
      const int64_t l = up ? a : best + 1, h = up ? best - 1 : b;
      if (l > h) break;
      // Upward the lower half is nearer, downward the upper half.
      const int64_t mid = up ? l + (h - l) / 2 : h - (h - l) / 2;
      const auto closer = up ? probe(l, mid) : probe(mid, h);
      if (closer) best = *closer;
      else if (up) a = mid + 1;
      else b = mid - 1;
      if (up ? a >= best : b <= best) break;
    }
    return best;
  }

 private:
  std::vector<z3::expr> with(std::initializer_list<z3::expr> more) const {
    std::vector<z3::expr> out = facts_;
    out.insert(out.end(), more.begin(), more.end());
    return out;
  }

  z3::context& ctx_;
  std::vector<z3::expr> facts_;
  z3::expr x_;
  std::vector<Sym> outputs_;
};

}  // namespace

ThresholdReport thresholds(const Program& program, const std::string& field, const std::vector<uint32_t>& watched,
                           uint32_t jurisdiction, int64_t month, const RecordData& record) {
  ThresholdReport report;
  report.field = field;
  try {
    smt::HouseholdQuery q(program, record, jurisdiction, month);
    z3::context& ctx = q.ctx();
    const smt::Leaf* chosen = nullptr;
    std::vector<std::string> fields;
    for (const auto& l : q.leaves()) {
      const TypeKind k = program.types.kind(program.types.unwrap(l.type));
      if (k != TypeKind::Money && k != TypeKind::Int) continue;
      fields.push_back(l.path);
      if (l.path == field) chosen = &l;
    }
    if (!chosen) {
      report.fields = std::move(fields);
      return report;
    }
    if (chosen->original.is_absent()) {
      report.reason = bilingual("这户家庭没有填写该字段：临界值无从说起", "the household has no value for this field");
      return report;
    }
    report.slot = chosen->slot;
    report.type = chosen->type;
    report.original = chosen->original;
    std::vector<Sym> outputs;
    for (uint32_t f : watched) {
      Sym o = q.output(f);
      if (!o.v) throw smt::Unsupported{bilingual("输出不是单一的值", "an output is not a single value")};
      outputs.push_back(std::move(o));
    }
    if (!q.record_fits()) {
      report.reason = smt::out_of_bounds_reason();
      return report;
    }
    // Everything else as the household has it.
    std::vector<z3::expr> facts = q.facts();
    for (const auto& l : q.leaves())
      if (&l != chosen) facts.push_back(smt::unchanged(ctx, program, l));
    if (chosen->sym->present) facts.push_back(*chosen->sym->present);
    // The widest range; the schema's assumptions (signs, realistic bounds)
    // narrow it inside the solver.
    const bool money = program.types.kind(program.types.unwrap(chosen->type)) == TypeKind::Money;
    const int64_t hi = money ? smt::kMaxMoneyFen : smt::kMaxWholeNumber;
    const int64_t lo = -hi;
    const z3::expr x = *chosen->sym->v;
    EdgeSearch search(ctx, facts, x, outputs);
    bool unknown = false;
    for (bool up : {true, false}) {
      int64_t at = chosen->original.a;
      std::vector<z3::expr> values;
      if (!search.values_at(at, values)) {
        unknown = true;
        break;
      }
      for (int n = 0;; ++n) {
        const auto next = search.nearest(at, values, up, lo, hi, unknown);
        if (!next) break;
        if (n == kMaxEdgesEachWay) {
          (up ? report.more_above : report.more_below) = true;
          break;
        }
        report.edges.push_back(up ? *next : *next + 1);
        at = *next;
        if (!search.values_at(at, values)) {
          unknown = true;
          break;
        }
      }
    }
    std::sort(report.edges.begin(), report.edges.end());
    if (unknown) {
      report.reason = bilingual("求解器未能在时限内找全临界值", "the solver could not find every edge in time");
      report.more_above = report.more_below = true;
    }
    report.ok = true;
  } catch (const smt::Unsupported& u) {
    report.reason = smt::unsupported_reason(u);
  } catch (const z3::exception& e) {
    report.reason = smt::solver_failure_reason(e);
  }
  return report;
}

}  // namespace doudi
