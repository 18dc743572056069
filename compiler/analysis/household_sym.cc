#include "compiler/analysis/household_sym.h"

#include <fmt/format.h>

#include <algorithm>

#include "compiler/analysis/solve.h"
#include "runtime/value/calendar.h"

namespace doudi::smt {

int64_t Household::longest(TypeId t, Value v) const {
  const Type& ty = p_.types.get(t);
  if (ty.kind == TypeKind::Optional) return v.is_absent() ? 0 : longest(ty.elem, v);
  int64_t out = 0;
  if (ty.kind == TypeKind::Struct) {
    auto child = static_cast<size_t>(v.a);
    for (const auto& f : p_.structs[ty.ref].fields) {
      out = std::max(out, longest(f.type, at(child, f.type)));
      child += record::slot_words(p_.types, f.type);
    }
  } else if (ty.kind == TypeKind::List) {
    out = v.b;
    const uint32_t width = record::slot_words(p_.types, ty.elem);
    for (int64_t i = 0; i < v.b; ++i)
      out = std::max(out, longest(ty.elem, at(static_cast<size_t>(v.a + i * width), ty.elem)));
  }
  return out;
}

void Household::pair(const Sym& s, TypeId t, Value v, size_t slot, const std::string& path, z3::context& ctx,
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
      auto child = static_cast<size_t>(v.a);
      for (size_t i = 0; i < st.fields.size() && i < s.items.size(); ++i) {
        const std::string name = path.empty() ? st.fields[i].name : path + "." + st.fields[i].name;
        // Members are named as explanations name them: 成员#2, not 家庭.成员#2.
        const bool list = p_.types.kind(st.fields[i].type) == TypeKind::List;
        pair(s.items[i], st.fields[i].type, at(child, st.fields[i].type), child, list ? st.fields[i].name : name, ctx,
             fixed, leaves);
        child += record::slot_words(p_.types, st.fields[i].type);
      }
      return;
    }
    case TypeKind::List:
      fixed.push_back(*s.len == ctx.int_val(v.b));
      for (int64_t i = 0; i < v.b && static_cast<size_t>(i) < s.items.size(); ++i) {
        const auto child = static_cast<size_t>(v.a + i * record::slot_words(p_.types, ty.elem));
        pair(s.items[static_cast<size_t>(i)], ty.elem, at(child, ty.elem), child, fmt::format("{}#{}", path, i + 1), ctx,
             fixed, leaves);
      }
      return;
    case TypeKind::Text:
    case TypeKind::Set: return;
    default: leaves.push_back(Leaf{path, t, &s, v, slot});
  }
}


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
  // Whole units only (fen, people, days): a ratio's change is not weighed.
  if (k == TypeKind::Bool || k == TypeKind::Enum || k == TypeKind::Ratio || l.original.is_absent() || !l.sym->v)
    return std::nullopt;
  const z3::expr o = encode(ctx, p, l.type, l.original);
  return z3::ite(*l.sym->v >= o, *l.sym->v - o, o - *l.sym->v);
}

Value leaf_value(const z3::model& model, const Program& p, const Leaf& l) {
  const bool optional = p.types.kind(l.type) == TypeKind::Optional;
  if (optional && l.sym->present && !model.eval(*l.sym->present, true).is_true()) return Value::absent();
  return decode(model, p, l.type, *l.sym->v);
}

std::string unsupported_reason(const Unsupported& u) {
  return bilingual("规则中有求解器无法精确表达的部分：" + in_lang(u.reason, Lang::Zh),
                   "the rules have a part the solver cannot express exactly: " + in_lang(u.reason, Lang::En));
}

std::string out_of_bounds_reason() {
  return bilingual("这户家庭的数值超出求解器的范围（金额至多 1000 万元，人数、月数等至多 100 万）",
                   "the household has values beyond the solver's bounds (amounts up to 10 million yuan, counts up to "
                   "a million)");
}

std::string solver_failure_reason(const z3::exception& e) {
  return bilingual(std::string("求解器出错：") + e.msg(), std::string("the solver failed: ") + e.msg());
}

HouseholdQuery::HouseholdQuery(const Program& p, const RecordData& record, uint32_t jurisdiction, int64_t month)
    : p_(p), household_(p, record) {
  if (!p.input) throw Unsupported{bilingual("规则没有声明输入", "the rules declare no input")};
  const int64_t longest = std::max<int64_t>(1, household_.longest(p.input->type, record.root));
  ev_ = std::make_unique<Evaluator>(ctx_, p, Env{jurisdiction, first_day_of(month), month}, static_cast<int>(longest),
                                    /*empty_lists=*/true);
  input_ = ev_->make_input("h");
  facts_ = ev_->assumptions();
  assumptions_taken_ = facts_.size();
  household_.pair(input_, p.input->type, record.root, 0, p.input->name, ctx_, facts_, leaves_);
}

Sym HouseholdQuery::output(uint32_t function) {
  Sym out = ev_->call(function, {});
  for (size_t i = assumptions_taken_; i < ev_->assumptions().size(); ++i) facts_.push_back(ev_->assumptions()[i]);
  assumptions_taken_ = ev_->assumptions().size();
  return out;
}

bool HouseholdQuery::record_fits() {
  std::vector<z3::expr> as_is = facts_;
  for (const auto& l : leaves_) as_is.push_back(unchanged(ctx_, p_, l));
  return solve(ctx_, as_is).result == z3::sat;
}

}  // namespace doudi::smt
