#include "compiler/analysis/why_not.h"

#include <fmt/format.h>

#include <algorithm>

#include "compiler/analysis/household_sym.h"
#include "compiler/analysis/smt_eval.h"
#include "compiler/analysis/solve.h"
#include "runtime/value/calendar.h"

namespace doudi {
namespace {

using smt::Household;
using smt::Leaf;
using smt::Sym;
using smt::distance;
using smt::encode;
using smt::unchanged;

// How far the search goes: fields changed at once, candidates tried, and
// halvings of the total amount changed.
constexpr size_t kMaxFieldsChanged = 4;
constexpr int kMaxAttempts = 24;
constexpr int kMaxSteps = 48;

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
  if (!program.input) {
    report.reason = "规则没有声明输入\x1fthe rules declare no input";
    return report;
  }
  try {
    z3::context ctx;
    const Household household(program, record);
    const int64_t longest = std::max<int64_t>(1, household.longest(program.input->type, record.root));
    smt::Evaluator ev(ctx, program, smt::Env{jurisdiction, first_day_of(month), month}, static_cast<int>(longest));
    const Sym input = ev.make_input("h");
    std::vector<z3::expr> facts = ev.assumptions();
    const size_t input_assumptions = facts.size();
    std::vector<Leaf> leaves;
    household.pair(input, program.input->type, record.root, 0, program.input->name, ctx, facts, leaves);
    const Sym out = ev.call(function, {});
    if (!out.v) throw smt::Unsupported{bilingual("输出不是单一的值", "the output is not a single value")};
    // Assumptions the rules added (values left open here, say).
    for (size_t i = input_assumptions; i < ev.assumptions().size(); ++i) facts.push_back(ev.assumptions()[i]);
    const z3::expr target = encode(ctx, program, result, want ? *want : current);
    facts.push_back(want ? *out.v == target : *out.v != target);
    if (out.present) facts.push_back(*out.present);

    // No change at all can give it: a proof, before any search.
    if (const auto q = smt::solve(ctx, facts); q.result != z3::sat) {
      if (q.result == z3::unsat) report.outcome = WhyNotReport::Outcome::Impossible;
      else report.reason = "求解器未能在时限内作答\x1fthe solver gave no answer in time";
      return report;
    }
    std::vector<z3::expr> keep;
    z3::expr_vector changed(ctx);
    z3::expr total = ctx.int_val(0);
    for (const auto& l : leaves) {
      keep.push_back(unchanged(ctx, program, l));
      changed.push_back(!keep.back());
      if (auto d = distance(ctx, program, l); d && d->is_int()) total = total + *d;
    }
    auto changes_in = [&](const z3::model& model) {
      std::vector<WhyNotChange> out_changes;
      for (size_t i = 0; i < leaves.size(); ++i) {
        if (model.eval(keep[i], true).is_true()) continue;
        const Leaf& l = leaves[i];
        WhyNotChange c;
        c.field = l.path;
        c.slot = l.slot;
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
        out_changes.push_back(std::move(c));
      }
      return out_changes;
    };
    auto total_in = [&](const z3::model& model) {
      int64_t v = 0;
      model.eval(total, true).is_numeral_i64(v);
      return v;
    };
    // As few fields as possible, then the smallest amounts; a candidate the
    // interpreter does not confirm (it reads a value this jurisdiction has
    // not set, say) is excluded and the solver asked again.
    std::vector<z3::expr> excluded;
    int attempts = 0;
    for (unsigned k = 1; k <= std::min<size_t>(kMaxFieldsChanged, leaves.size()); ++k) {
      while (attempts < kMaxAttempts) {
        std::vector<z3::expr> ask = facts;
        ask.insert(ask.end(), excluded.begin(), excluded.end());
        ask.push_back(z3::atmost(changed, k));
        auto q = smt::solve(ctx, ask);
        if (q.result == z3::unsat) break;
        if (q.result == z3::unknown) {
          report.reason = "求解器未能在时限内作答\x1fthe solver gave no answer in time";
          return report;
        }
        ++attempts;
        z3::model best = q.solver.get_model();
        int64_t lo = 0, hi = total_in(best);
        bool proven = true;
        for (int step = 0; lo < hi && step < kMaxSteps; ++step) {
          const int64_t mid = lo + (hi - lo) / 2;
          std::vector<z3::expr> tighter = ask;
          tighter.push_back(total <= ctx.int_val(mid));
          auto t = smt::solve(ctx, tighter);
          if (t.result == z3::sat) {
            best = t.solver.get_model();
            hi = total_in(best);
          } else if (t.result == z3::unsat) {
            lo = mid + 1;
          } else {
            proven = false;
            break;
          }
        }
        std::vector<WhyNotChange> candidate = changes_in(best);
        if (confirm(candidate)) {
          report.outcome = WhyNotReport::Outcome::Found;
          report.changes = std::move(candidate);
          report.smallest = proven && lo >= hi;
          report.excluded = attempts - 1;
          return report;
        }
        z3::expr_vector kept_one(ctx);
        for (size_t i = 0; i < leaves.size(); ++i)
          if (!best.eval(keep[i], true).is_true()) kept_one.push_back(keep[i]);
        excluded.push_back(z3::mk_or(kept_one));
      }
    }
    report.reason = fmt::format("没有找到经重新计算确认、改动不超过 {} 项的方案\x1fno change of at most {} fields "
                                "was confirmed by deciding again",
                                kMaxFieldsChanged, kMaxFieldsChanged);
  } catch (const smt::Unsupported& u) {
    report.reason = bilingual("规则中有求解器无法精确表达的部分：" + in_lang(u.reason, Lang::Zh),
                              "the rules have a part the solver cannot express exactly: " + in_lang(u.reason, Lang::En));
  } catch (const z3::exception& e) {
    report.reason = std::string("求解器出错：") + e.msg() + "\x1fthe solver failed: " + e.msg();
  }
  return report;
}

}  // namespace doudi
