#include "compiler/analysis/why_not.h"

#include <fmt/format.h>

#include <algorithm>

#include "compiler/analysis/household_sym.h"
#include "compiler/analysis/smt_eval.h"
#include "compiler/analysis/solve.h"
#include "runtime/value/calendar.h"

namespace doudi {
namespace {

using smt::Leaf;
using smt::Sym;
using smt::distance;
using smt::encode;
using smt::unchanged;

// How far the search goes: fields changed at once, candidates tried, and
// halvings of the total amount changed.
constexpr size_t kMaxFieldsChanged = 4;
constexpr int kMaxAttempts = 200;
constexpr int kMaxSteps = 48;

const std::string kNoAnswer = bilingual("求解器未能在时限内作答", "the solver gave no answer in time");

// One changed input, for the report.
WhyNotChange change_of(const ir::Module& module, const Program& program, const Leaf& l, const z3::model& model,
                       bool zh) {
  WhyNotChange c;
  c.field = l.path;
  c.slot = l.slot;
  c.type = l.type;
  c.value = smt::leaf_value(model, program, l);
  c.from = module.format_value(l.original, l.type, zh);
  c.to = module.format_value(c.value, l.type, zh);
  const TypeId bare = program.types.unwrap(l.type);
  if (program.types.kind(bare) == TypeKind::Money && !l.original.is_absent() && !c.value.is_absent()) {
    const int64_t d = c.value.a - l.original.a;
    const std::string amount = module.format_value(Value::of(d < 0 ? -d : d), bare, zh);
    c.by = zh ? fmt::format("{} {}", d < 0 ? "减少" : "增加", amount)
              : fmt::format("{} by {}", d < 0 ? "lower" : "higher", amount);
  }
  return c;
}

}  // namespace

WhyNotReport why_not(const Program& program, const ir::Module& module, uint32_t function, std::optional<Value> want,
                     Value current, uint32_t jurisdiction, int64_t month, const RecordData& record, bool zh,
                     const WhyNotConfirm& confirm) {
  WhyNotReport report;
  const TypeId result = program.functions[function].result;
  if (want && *want == current) {
    report.outcome = WhyNotReport::Outcome::AlreadySo;
    return report;
  }
  try {
    smt::HouseholdQuery q(program, record, jurisdiction, month);
    z3::context& ctx = q.ctx();
    const Sym out = q.output(function);
    if (!out.v) throw smt::Unsupported{bilingual("输出不是单一的值", "the output is not a single value")};
    if (!q.record_fits()) {
      report.reason = smt::out_of_bounds_reason();
      return report;
    }
    const auto& leaves = q.leaves();
    std::vector<z3::expr> facts = q.facts();
    const z3::expr target = encode(ctx, program, result, want ? *want : current);
    facts.push_back(want ? *out.v == target : *out.v != target);
    if (out.present) facts.push_back(*out.present);

    // No change at all can give it: a proof, before any search.
    if (const auto first = smt::solve(ctx, facts); first.result != z3::sat) {
      if (first.result == z3::unsat) report.outcome = WhyNotReport::Outcome::Impossible;
      else report.reason = kNoAnswer;
      return report;
    }
    std::vector<z3::expr> keep;
    z3::expr_vector changed(ctx);
    z3::expr total = ctx.int_val(0);
    for (const auto& l : leaves) {
      keep.push_back(unchanged(ctx, program, l));
      changed.push_back(!keep.back());
      if (auto d = distance(ctx, program, l)) total = total + *d;
    }
    auto changes_in = [&](const z3::model& model) {
      std::vector<WhyNotChange> found;
      for (size_t i = 0; i < leaves.size(); ++i)
        if (!model.eval(keep[i], true).is_true()) found.push_back(change_of(module, program, leaves[i], model, zh));
      return found;
    };
    auto total_in = [&](const z3::model& model) {
      int64_t v = 0;
      model.eval(total, true).is_numeral_i64(v);
      return v;
    };
    // As few fields as possible, then the smallest amounts. A candidate the
    // interpreter does not confirm (it reads a value this jurisdiction has
    // not set, which the solver takes as open) is excluded, with every
    // answer that changes the same fields, and the solver asked again.
    // First without turning an amount negative that is not (a caseworker
    // reads "wages 1900 → 1379.98" more easily than "transfers 0 → −520.02"),
    // then, if that finds nothing, with.
    z3::expr_vector signs(ctx);
    for (const auto& l : leaves)
      if (l.sym->v && l.sym->v->is_int() && !l.original.is_absent() && l.original.a >= 0 &&
          program.types.kind(program.types.unwrap(l.type)) == TypeKind::Money)
        signs.push_back(*l.sym->v >= ctx.int_val(0));
    const z3::expr keep_signs = signs.empty() ? ctx.bool_val(true) : z3::mk_and(signs);
    std::vector<z3::expr> excluded;
    int attempts = 0;
    for (const bool signed_too : {false, true})
    for (unsigned k = 1; k <= std::min<size_t>(kMaxFieldsChanged, leaves.size()); ++k) {
      while (attempts < kMaxAttempts) {
        std::vector<z3::expr> ask = facts;
        ask.insert(ask.end(), excluded.begin(), excluded.end());
        ask.push_back(z3::atmost(changed, k));
        if (!signed_too) ask.push_back(keep_signs);
        auto found = smt::solve(ctx, ask);
        if (found.result == z3::unsat) break;
        if (found.result == z3::unknown) {
          report.reason = kNoAnswer;
          return report;
        }
        ++attempts;
        const z3::model model = found.solver.get_model();
        std::vector<WhyNotChange> candidate = changes_in(model);
        z3::expr_vector kept_one(ctx), same_fields(ctx);
        for (size_t i = 0; i < leaves.size(); ++i) {
          if (model.eval(keep[i], true).is_true()) same_fields.push_back(keep[i]);
          else kept_one.push_back(keep[i]);
        }
        if (!confirm(candidate)) {
          ++report.excluded;
          excluded.push_back(z3::mk_or(kept_one));
          continue;
        }
        // The smallest amounts on these fields: halve the total change.
        std::vector<z3::expr> these = ask;
        these.push_back(z3::mk_and(same_fields));
        int64_t lo = 0, hi = total_in(model);
        bool proven = true;
        std::optional<z3::model> best;
        for (int step = 0; lo < hi && step < kMaxSteps; ++step) {
          const int64_t mid = lo + (hi - lo) / 2;
          std::vector<z3::expr> tighter = these;
          tighter.push_back(total <= ctx.int_val(mid));
          auto t = smt::solve(ctx, tighter);
          if (t.result == z3::sat) {
            best = t.solver.get_model();
            hi = total_in(*best);
          } else if (t.result == z3::unsat) {
            lo = mid + 1;
          } else {
            proven = false;
            break;
          }
        }
        if (best) {
          std::vector<WhyNotChange> smaller = changes_in(*best);
          if (confirm(smaller)) candidate = std::move(smaller);
          else proven = false;
        }
        // A change the interpreter shows is not needed is dropped.
        for (size_t i = 0; candidate.size() > 1 && i < candidate.size();) {
          std::vector<WhyNotChange> without = candidate;
          without.erase(without.begin() + static_cast<std::ptrdiff_t>(i));
          if (confirm(without)) candidate = std::move(without);
          else ++i;
        }
        const bool ratio = std::any_of(candidate.begin(), candidate.end(), [&](const WhyNotChange& c) {
          return program.types.kind(program.types.unwrap(c.type)) == TypeKind::Ratio;
        });
        report.outcome = WhyNotReport::Outcome::Found;
        report.changes = std::move(candidate);
        report.smallest = proven && lo >= hi && !ratio;
        return report;
      }
    }
    report.reason = attempts >= kMaxAttempts
                        ? bilingual(fmt::format("试过 {} 个方案，都未经重新计算确认（多半读到本辖区未设定的参数）", attempts),
                                    fmt::format("{} candidates were tried and none was confirmed by deciding again (most "
                                                "read a parameter this jurisdiction has not set)",
                                                attempts))
                        : bilingual(fmt::format("改动不超过 {} 项时没有经重新计算确认的方案", kMaxFieldsChanged),
                                    fmt::format("no change of at most {} fields is confirmed by deciding again",
                                                kMaxFieldsChanged));
  } catch (const smt::Unsupported& u) {
    report.reason = smt::unsupported_reason(u);
  } catch (const z3::exception& e) {
    report.reason = bilingual(std::string("求解器出错：") + e.msg(), std::string("the solver failed: ") + e.msg());
  }
  return report;
}

}  // namespace doudi
