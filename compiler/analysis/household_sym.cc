#include "compiler/analysis/household_sym.h"

#include <fmt/format.h>

#include <algorithm>

namespace doudi::smt {

int64_t Household::longest(TypeId t, Value v) const {
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

Value leaf_value(const z3::model& model, const Program& p, const Leaf& l) {
  const bool optional = p.types.kind(l.type) == TypeKind::Optional;
  if (optional && l.sym->present && !model.eval(*l.sym->present, true).is_true()) return Value::absent();
  return decode(model, p, l.type, *l.sym->v);
}

}  // namespace doudi::smt
