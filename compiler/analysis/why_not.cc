#include "compiler/analysis/why_not.h"

#include <fmt/format.h>

#include <algorithm>

#include "compiler/analysis/smt_eval.h"
#include "compiler/analysis/solve.h"
#include "runtime/value/calendar.h"

namespace doudi {
namespace {

using smt::Sym;

// How far the search goes: fields changed at once, candidates tried, and
// halvings of the total amount changed.
constexpr size_t kMaxFieldsChanged = 4;
constexpr int kMaxAttempts = 24;
constexpr int kMaxSteps = 48;

// One input value the solver may change, with where it lives.
struct Leaf {
  std::string path;
  TypeId type;  // as declared (Optional kept)
  const Sym* sym;
  Value original;
  size_t slot;
};

class Household {
 public:
  Household(const Program& p, const RecordData& r) : p_(p), r_(r) {}

  Value at(size_t slot) const { return slot < r_.slots.size() ? r_.slots[slot] : Value::absent(); }

  // The longest list in the record (the solver's lists get that many slots).
  int64_t longest(TypeId t, Value v) const {
    const Type& ty = p_.types.get(t);
    if (ty.kind == TypeKind::Optional) return v.is_absent() ? 0 : longest(ty.elem, v);
    int64_t out = 0;
    if (ty.kind == TypeKind::Struct) {
      const auto& st = p_.structs[ty.ref];
      for (size_t i = 0; i < st.fields.size(); ++i)
        out = std::max(out, longest(st.fields[i].type, at(static_cast<size_t>(v.a) + i)));
    } else if (ty.kind == TypeKind::List) {
      out = v.b;
      for (int64_t i = 0; i < v.b; ++i) out = std::max(out, longest(ty.elem, at(static_cast<size_t>(v.a + i))));
    }
    return out;
  }

  // The record's values beside the symbolic household: hard facts for what
  // may not change (list lengths, presence of structures), leaves for the rest.
  void pair(const Sym& s, TypeId t, Value v, size_t slot, const std::string& path, z3::context& ctx,
            std::vector<z3::expr>& fixed, std::vector<Leaf>& leaves) const {
    const Type& ty = p_.types.get(t);
    if (ty.kind == TypeKind::Optional) {
      const TypeKind inner = p_.types.kind(ty.elem);
      if (inner == TypeKind::Struct || inner == TypeKind::List) {
        if (s.present) fixed.push_back(*s.present == ctx.bool_val(!v.is_absent()));
        if (!v.is_absent()) pair(s, ty.elem, v, slot, path, ctx, fixed, leaves);
        return;
      }
      if (inner != TypeKind::Text) leaves.push_back(Leaf{path, t, &s, v, slot});
      return;
    }
    switch (ty.kind) {
      case TypeKind::Struct: {
        const auto& st = p_.structs[ty.ref];
        for (size_t i = 0; i < st.fields.size() && i < s.items.size(); ++i) {
          const size_t child = static_cast<size_t>(v.a) + i;
          const std::string name = path.empty() ? st.fields[i].name : path + "." + st.fields[i].name;
          // Members are named as explanations name them: 成员#2, not 家庭.成员#2.
          const bool list = p_.types.kind(st.fields[i].type) == TypeKind::List;
          pair(s.items[i], st.fields[i].type, at(child), child, list ? st.fields[i].name : name, ctx, fixed, leaves);
        }
        return;
      }
      case TypeKind::List:
        fixed.push_back(*s.len == ctx.int_val(v.b));
        for (int64_t i = 0; i < v.b && static_cast<size_t>(i) < s.items.size(); ++i) {
          const size_t child = static_cast<size_t>(v.a + i);
          pair(s.items[static_cast<size_t>(i)], ty.elem, at(child), child, fmt::format("{}#{}", path, i + 1), ctx,
               fixed, leaves);
        }
        return;
      case TypeKind::Text:
      case TypeKind::Set: return;
      default: leaves.push_back(Leaf{path, t, &s, v, slot});
    }
  }

 private:
  const Program& p_;
  const RecordData& r_;
};

z3::expr encode(z3::context& ctx, const Program& p, TypeId t, Value v) {
  switch (p.types.kind(p.types.unwrap(t))) {
    case TypeKind::Bool: return ctx.bool_val(v.a != 0);
    case TypeKind::Ratio: return ctx.real_val(fmt::format("{}/{}", v.a, v.b).c_str());
    default: return ctx.int_val(v.a);
  }
}

Value decode(const z3::model& model, const Program& p, TypeId t, const z3::expr& e) {
  const z3::expr x = model.eval(e, true);
  switch (p.types.kind(p.types.unwrap(t))) {
    case TypeKind::Bool: return Value::of_bool(x.is_true());
    case TypeKind::Ratio: {
      int64_t num = 0, den = 1;
      x.numerator().is_numeral_i64(num);
      x.denominator().is_numeral_i64(den);
      return Value::of_ratio(Ratio{num, den});
    }
    default: {
      int64_t n = 0;
      x.is_numeral_i64(n);
      return Value::of(n);
    }
  }
}

// Whether the leaf keeps its value, and how far a number moves.
z3::expr unchanged(z3::context& ctx, const Program& p, const Leaf& l) {
  const bool optional = p.types.kind(l.type) == TypeKind::Optional;
  if (optional && l.original.is_absent()) return l.sym->present ? !*l.sym->present : ctx.bool_val(true);
  const z3::expr same = *l.sym->v == encode(ctx, p, l.type, l.original);
  return optional && l.sym->present ? *l.sym->present && same : same;
}

std::optional<z3::expr> distance(z3::context& ctx, const Program& p, const Leaf& l) {
  const TypeKind k = p.types.kind(p.types.unwrap(l.type));
  if (k == TypeKind::Bool || k == TypeKind::Enum || l.original.is_absent() || !l.sym->v) return std::nullopt;
  const z3::expr o = encode(ctx, p, l.type, l.original);
  const z3::expr d = z3::ite(*l.sym->v >= o, *l.sym->v - o, o - *l.sym->v);
  return k == TypeKind::Ratio ? d * ctx.real_val(100) : d;  // a percentage point weighs like a fen
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
    if (!out.v) throw smt::Unsupported{"the output is not a single value"};
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
        const bool optional = program.types.kind(l.type) == TypeKind::Optional;
        c.value = optional && l.sym->present && !model.eval(*l.sym->present, true).is_true()
                      ? Value::absent()
                      : decode(model, program, l.type, *l.sym->v);
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
    report.reason = "规则中有求解器无法精确表达的部分：" + u.reason +
                    "\x1fthe rules have a part the solver cannot express exactly: " + u.reason;
  } catch (const z3::exception& e) {
    report.reason = std::string("求解器出错：") + e.msg() + "\x1fthe solver failed: " + e.msg();
  }
  return report;
}

}  // namespace doudi
