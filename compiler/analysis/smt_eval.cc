#include "compiler/analysis/smt_eval.h"

#include <fmt/format.h>

#include "compiler/sema/checker.h"
#include "runtime/value/calendar.h"
#include "runtime/value/money.h"
#include "runtime/value/ratio.h"

namespace doudi::smt {
namespace {

using ast::BinOp;
using ast::Expr;
using ast::ExprKind;
using K = TypeKind;

[[noreturn]] void unsupported(const std::string& why) { throw Unsupported{why}; }

// floor of a real, as an integer (z3++ 4.8 has no to_int).
z3::expr floor_int(const z3::expr& x) { return z3::expr(x.ctx(), Z3_mk_real2int(x.ctx(), x)); }

}  // namespace

Evaluator::Evaluator(z3::context& ctx, const Program& p, Env env, int max_items, bool empty_lists)
    : ctx_(ctx), p_(p), env_(env), max_items_(max_items), empty_lists_(empty_lists) {}

Sym Evaluator::make_value(TypeId t, const std::string& name, bool may_be_negative) {
  const Type& ty = p_.types.get(t);
  Sym s;
  switch (ty.kind) {
    case K::Optional: {
      s = make_value(ty.elem, name, may_be_negative);
      s.present = ctx_.bool_const((name + "?").c_str());
      return s;
    }
    case K::Bool:
      s.v = ctx_.bool_const(name.c_str());
      return s;
    case K::Ratio: {
      s.v = ctx_.real_const(name.c_str());
      assumptions_.push_back(*s.v >= (may_be_negative ? -kMaxRatio : 0) && *s.v <= kMaxRatio);
      return s;
    }
    case K::Text:
      s.kind = Sym::Kind::Text;
      return s;
    case K::Struct: {
      s.kind = Sym::Kind::Struct;
      const auto& st = p_.structs[ty.ref];
      for (const auto& f : st.fields) s.items.push_back(make_value(f.type, name + "." + f.name, f.signed_));
      return s;
    }
    case K::List: {
      s.kind = Sym::Kind::List;
      for (int i = 0; i < max_items_; ++i)
        s.items.push_back(make_value(ty.elem, fmt::format("{}[{}]", name, i), may_be_negative));
      s.len = ctx_.int_const((name + ".len").c_str());
      assumptions_.push_back(*s.len >= (empty_lists_ ? 0 : 1) && *s.len <= max_items_);
      return s;
    }
    default: {
      s.v = ctx_.int_const(name.c_str());
      const z3::expr& x = *s.v;
      // Domain assumptions, stated in every report: amounts and counts stay
      // within realistic bounds, and are not negative unless the field is
      // 可为负 (the record loader enforces the same).
      switch (ty.kind) {
        case K::Money:
          assumptions_.push_back(x >= ctx_.int_val(may_be_negative ? -kMaxMoneyFen : 0) && x <= ctx_.int_val(kMaxMoneyFen));
          break;
        case K::Enum: assumptions_.push_back(x >= 0 && x < static_cast<int>(p_.enums[ty.ref].values.size())); break;
        case K::Date:
          assumptions_.push_back(x >= ctx_.int_val(*parse_date("1990-01-01")) && x <= ctx_.int_val(*parse_date("2100-12-31")));
          break;
        case K::YearMonth:
          assumptions_.push_back(x >= ctx_.int_val(year_month_of(1990, 1)) && x <= ctx_.int_val(year_month_of(2100, 12)));
          break;
        default: assumptions_.push_back(x >= (may_be_negative ? -kMaxWholeNumber : 0) && x <= kMaxWholeNumber); break;
      }
      return s;
    }
  }
}

Sym Evaluator::make_input(const std::string& prefix) {
  if (!p_.input) unsupported(bilingual("没有声明输入", "no input declared"));
  input_ = make_value(p_.input->type, prefix);
  return input_;
}

z3::expr Evaluator::param(uint32_t pi, int64_t day) {
  auto key = std::make_pair(pi, day);
  if (auto it = params_.find(key); it != params_.end()) return it->second;
  const auto& prm = p_.params[pi];
  const TypeId t = p_.types.unwrap(prm.type);
  const ParamValue* found = p_.value_in_force(pi, env_.jurisdiction, day);
  std::optional<z3::expr> out;
  if (!found) {
    // Left to local discretion here: any value.
    const std::string n = fmt::format("param:{}@{}", prm.name, day);
    if (p_.types.kind(t) == K::Bool) out = ctx_.bool_const(n.c_str());
    else if (p_.types.kind(t) == K::Ratio) {
      out = ctx_.real_const(n.c_str());
      assumptions_.push_back(*out >= 0);
    } else if (p_.types.kind(t) == K::Text) unsupported(bilingual("文本参数", "text parameter"));
    else {
      out = ctx_.int_const(n.c_str());
      assumptions_.push_back(*out >= 0);
    }
  } else {
    const Value v = found->value;
    switch (p_.types.kind(t)) {
      case K::Bool: out = ctx_.bool_val(v.a != 0); break;
      case K::Ratio: out = ctx_.real_val(v.a, v.b); break;
      case K::Text: unsupported(bilingual("文本参数", "text parameter"));
      default: out = ctx_.int_val(v.a); break;
    }
  }
  params_.emplace(key, *out);
  return *out;
}

z3::expr Evaluator::value_of(const Sym& s) {
  if (s.kind != Sym::Kind::Scalar || !s.v) unsupported(bilingual("把结构、列表或文本当作数值使用", "a structure, list or text used as a value"));
  return *s.v;
}

z3::expr Evaluator::as_real(const Sym& s, TypeId) {
  const z3::expr v = value_of(s);
  return v.is_int() ? z3::to_real(v) : v;
}

// exact (Real) rounded as the interpreter does: 四舍五入 away from zero,
// down = floor, up = ceiling.
z3::expr Evaluator::rounded(const z3::expr& exact, uint8_t rounding) {
  const z3::expr half = ctx_.real_val(1, 2);
  switch (rounding) {
    case 2: return floor_int(exact);
    case 3: return -floor_int(-exact);
    default: return z3::ite(exact >= 0, floor_int(exact + half), -floor_int(-exact + half));
  }
}

Sym Evaluator::binary(const Expr& e, std::vector<Sym>& frame) {
  const Expr& L = *e.kids[0];
  const Expr& R = *e.kids[1];
  const auto& T = p_.types;
  switch (e.op) {
    case BinOp::And: return scalar(value_of(eval(L, frame)) && value_of(eval(R, frame)));
    case BinOp::Or: return scalar(value_of(eval(L, frame)) || value_of(eval(R, frame)));
    case BinOp::OrElse: {
      const Sym l = eval(L, frame);
      const Sym r = eval(R, frame);
      if (!l.present) return l;
      return scalar(z3::ite(*l.present, value_of(l), value_of(r)));
    }
    case BinOp::Eq:
    case BinOp::Ne: {
      const Sym l = eval(L, frame), r = eval(R, frame);
      if (l.kind == Sym::Kind::Text || r.kind == Sym::Kind::Text) unsupported(bilingual("文本比较", "text comparison"));
      const bool ratio = T.unwrap(L.type) == TypeTable::kRatio || T.unwrap(R.type) == TypeTable::kRatio;
      const z3::expr lv = ratio ? as_real(l, L.type) : value_of(l);
      const z3::expr rv = ratio ? as_real(r, R.type) : value_of(r);
      const z3::expr lp = l.present ? *l.present : ctx_.bool_val(true);
      const z3::expr rp = r.present ? *r.present : ctx_.bool_val(true);
      const z3::expr eq = (lp && rp && lv == rv) || (!lp && !rp);
      return scalar(e.op == BinOp::Eq ? eq : !eq);
    }
    case BinOp::Lt:
    case BinOp::Le:
    case BinOp::Gt:
    case BinOp::Ge: {
      const bool ratio = L.type == TypeTable::kRatio || R.type == TypeTable::kRatio;
      const Sym l = eval(L, frame), r = eval(R, frame);
      const z3::expr a = ratio ? as_real(l, L.type) : value_of(l);
      const z3::expr b = ratio ? as_real(r, R.type) : value_of(r);
      switch (e.op) {
        case BinOp::Lt: return scalar(a < b);
        case BinOp::Le: return scalar(a <= b);
        case BinOp::Gt: return scalar(a > b);
        default: return scalar(a >= b);
      }
    }
    default: break;
  }
  const K a = T.kind(L.type), b = T.kind(R.type), res = T.kind(e.type);
  const Sym ls = eval(L, frame), rs = eval(R, frame);
  switch (e.op) {
    case BinOp::Add:
    case BinOp::Sub: {
      if (res == K::Ratio) {
        const z3::expr x = as_real(ls, L.type), y = as_real(rs, R.type);
        return scalar(e.op == BinOp::Add ? x + y : x - y);
      }
      if (a == K::Date && b == K::Months) unsupported(bilingual("日期加月数", "date + months"));
      const z3::expr x = value_of(ls), y = value_of(rs);
      return scalar(e.op == BinOp::Add ? x + y : x - y);
    }
    case BinOp::Mul:
      if (res == K::Ratio) return scalar(as_real(ls, L.type) * as_real(rs, R.type));
      if ((a == K::Money && b == K::Ratio) || (a == K::Ratio && b == K::Money))
        return scalar(rounded(as_real(ls, L.type) * as_real(rs, R.type), e.rounding));
      return scalar(value_of(ls) * value_of(rs));
    case BinOp::Div: {
      if (res == K::Ratio) return scalar(as_real(ls, L.type) / as_real(rs, R.type));
      const z3::expr num = z3::to_real(value_of(ls));
      // A divisor that counts list items is small: split on its value so
      // the division stays linear.
      if (R.kind == ExprKind::CountList && rs.kind == Sym::Kind::Scalar) {
        z3::expr out = rounded(num, e.rounding);
        for (int n = max_items_; n >= 1; --n)
          out = z3::ite(value_of(rs) == n, rounded(num / ctx_.real_val(n), e.rounding), out);
        return scalar(out);
      }
      return scalar(rounded(num / as_real(rs, R.type), e.rounding));
    }
    default: unsupported(bilingual("运算符", "operator"));
  }
}

Sym Evaluator::aggregate(const Expr& e, std::vector<Sym>& frame) {
  const Sym list = eval(*e.kids[0], frame);
  if (list.kind != Sym::Kind::List) unsupported(bilingual("对非列表的汇总", "aggregation over a non-list"));
  const bool count = e.kind == ExprKind::CountWhere;
  const TypeId rt = count ? TypeTable::kInt : e.type;
  const bool real = rt == TypeTable::kRatio;
  std::optional<z3::expr> acc;
  std::optional<z3::expr> any;  // max/min: whether one was seen
  if (frame.size() <= e.ref_sub) frame.resize(e.ref_sub + 1);
  for (int i = 0; i < max_items_; ++i) {
    frame[e.ref_sub] = list.items[static_cast<size_t>(i)];
    z3::expr active = *list.len > i;
    if (e.has_filter) active = active && value_of(eval(count ? *e.kids[1] : *e.kids[2], frame));
    if (count) {
      const z3::expr one = z3::ite(active, ctx_.int_val(1), ctx_.int_val(0));
      acc = acc ? *acc + one : one;
      continue;
    }
    const Sym body = eval(*e.kids[1], frame);
    switch (e.agg) {
      case ast::AggKind::Sum: {
        const z3::expr v = real ? as_real(body, e.kids[1]->type) : value_of(body);
        const z3::expr term = z3::ite(active, v, real ? ctx_.real_val(0) : ctx_.int_val(0));
        acc = acc ? *acc + term : term;
        break;
      }
      case ast::AggKind::Exists: {
        const z3::expr term = active && value_of(body);
        acc = acc ? *acc || term : term;
        break;
      }
      case ast::AggKind::All: {
        const z3::expr term = !active || value_of(body);
        acc = acc ? *acc && term : term;
        break;
      }
      case ast::AggKind::Max:
      case ast::AggKind::Min: {
        const z3::expr v = value_of(body);
        if (!acc) {
          acc = v;
          any = active;
        } else {
          const z3::expr better = e.agg == ast::AggKind::Max ? v > *acc : v < *acc;
          acc = z3::ite(active && (!*any || better), v, *acc);
          any = *any || active;
        }
        break;
      }
    }
  }
  return scalar(*acc);
}

Sym Evaluator::eval(const Expr& e, std::vector<Sym>& frame) {
  switch (e.kind) {
    case ExprKind::Number:
      if (p_.types.kind(e.type) == K::Money) return scalar(ctx_.int_val(*parse_money_yuan(e.text).fen));
      if (e.type == TypeTable::kRatio) {
        const Ratio r = *parse_decimal_ratio(e.text, false);
        return scalar(ctx_.real_val(r.num, r.den));
      }
      return scalar(ctx_.int_val(static_cast<int64_t>(std::stoll(e.text))));
    case ExprKind::Percent: {
      const Ratio r = *parse_decimal_ratio(e.text, true);
      return scalar(ctx_.real_val(r.num, r.den));
    }
    case ExprKind::Date: return scalar(ctx_.int_val(*parse_date(e.text)));
    case ExprKind::YearMonth: return scalar(ctx_.int_val(*parse_year_month(e.text)));
    case ExprKind::Bool: return scalar(ctx_.bool_val(e.text == "true"));
    case ExprKind::String: unsupported(bilingual("文本", "text"));
    case ExprKind::Name:
      switch (e.ref) {
        case ast::RefKind::Local:
          if (e.ref_sub >= frame.size()) unsupported(bilingual("局部名称", "local"));
          return frame[e.ref_sub];
        case ast::RefKind::Input: return input_;
        case ast::RefKind::Param: return scalar(param(e.ref_index, env_.day));
        case ast::RefKind::Definition:
        case ast::RefKind::Rule: return call(e.ref_index, {});
        case ast::RefKind::EnumValue: return scalar(ctx_.int_val(static_cast<int>(e.ref_sub)));
        case ast::RefKind::DecisionMonth: return scalar(ctx_.int_val(env_.month));
        default: unsupported(bilingual("名称", "name"));
      }
    case ExprKind::Field: {
      if (e.ref == ast::RefKind::EnumValue) return scalar(ctx_.int_val(static_cast<int>(e.ref_sub)));
      const Sym obj = eval(*e.kids[0], frame);
      if (obj.kind != Sym::Kind::Struct) unsupported(bilingual("非结构的字段", "field of a non-structure"));
      return obj.items[e.ref_sub];
    }
    case ExprKind::Call: {
      if (e.ref == ast::RefKind::Definition || e.ref == ast::RefKind::Rule) {
        std::vector<Sym> args;
        for (const auto& k : e.kids) args.push_back(eval(*k, frame));
        return call(e.ref_index, std::move(args));
      }
      switch (static_cast<Builtin>(e.ref_sub)) {
        case Builtin::PerMonth: return scalar(rounded(z3::to_real(value_of(eval(*e.kids[0], frame))) / 12, e.rounding));
        case Builtin::PerYear: return scalar(value_of(eval(*e.kids[0], frame)) * 12);
        case Builtin::MonthsBetween:
          return scalar(value_of(eval(*e.kids[1], frame)) - value_of(eval(*e.kids[0], frame)));
        case Builtin::Present: {
          const Sym s = eval(*e.kids[0], frame);
          return scalar(s.present ? *s.present : ctx_.bool_val(true));
        }
        case Builtin::RoundDown:
        case Builtin::RoundUp:
        case Builtin::RoundHalfUp: return eval(*e.kids[0], frame);
        case Builtin::Lesser:
        case Builtin::Greater: {
          const bool real = e.type == TypeTable::kRatio;
          const Sym a = eval(*e.kids[0], frame), b = eval(*e.kids[1], frame);
          const z3::expr x = real ? as_real(a, e.kids[0]->type) : value_of(a);
          const z3::expr y = real ? as_real(b, e.kids[1]->type) : value_of(b);
          const bool less = static_cast<Builtin>(e.ref_sub) == Builtin::Lesser;
          return scalar(z3::ite(less ? x <= y : x >= y, x, y));
        }
        case Builtin::FirstDay: {
          const z3::expr ym = value_of(eval(*e.kids[0], frame)).simplify();
          int64_t v = 0;
          if (!ym.is_numeral_i64(v)) unsupported(bilingual("未知月份的首日", "first day of an unknown month"));
          return scalar(ctx_.int_val(first_day_of(v)));
        }
        case Builtin::DecisionMonth: return scalar(ctx_.int_val(env_.month));
      }
      unsupported(bilingual("内置函数", "builtin"));
    }
    case ExprKind::Neg: {
      const Sym s = eval(*e.kids[0], frame);
      return scalar(-value_of(s));
    }
    case ExprKind::Not: return scalar(!value_of(eval(*e.kids[0], frame)));
    case ExprKind::Binary: return binary(e, frame);
    case ExprKind::In: {
      const Sym x = eval(*e.kids[0], frame);
      const Expr& coll = *e.kids[1];
      if (x.kind == Sym::Kind::Text) unsupported(bilingual("文本的属于判断", "text membership"));
      const bool ratio = p_.types.unwrap(e.kids[0]->type) == TypeTable::kRatio;
      const z3::expr xv = ratio ? as_real(x, e.kids[0]->type) : value_of(x);
      const z3::expr present = x.present ? *x.present : ctx_.bool_val(true);
      z3::expr any = ctx_.bool_val(false);
      if (coll.kind == ExprKind::Set || coll.kind == ExprKind::List) {
        for (const auto& k : coll.kids) {
          const Sym v = eval(*k, frame);
          any = any || (present && xv == (ratio ? as_real(v, k->type) : value_of(v)));
        }
      } else {
        const Sym list = eval(coll, frame);
        if (list.kind != Sym::Kind::List) unsupported(bilingual("属于非列表", "membership in a non-list"));
        for (int i = 0; i < max_items_; ++i)
          any = any || (*list.len > i && present && xv == value_of(list.items[static_cast<size_t>(i)]));
      }
      return scalar(e.negated ? !any : any);
    }
    case ExprKind::If: {
      const z3::expr c = value_of(eval(*e.kids[0], frame));
      const bool real = e.type == TypeTable::kRatio;
      const Sym a = eval(*e.kids[1], frame), b = eval(*e.kids[2], frame);
      const z3::expr x = real ? as_real(a, e.kids[1]->type) : value_of(a);
      const z3::expr y = real ? as_real(b, e.kids[2]->type) : value_of(b);
      return scalar(z3::ite(c, x, y));
    }
    case ExprKind::Aggregate:
    case ExprKind::CountWhere: return aggregate(e, frame);
    case ExprKind::CountList: {
      const Sym list = eval(*e.kids[0], frame);
      if (list.kind != Sym::Kind::List) unsupported(bilingual("非列表的人数", "count of a non-list"));
      return scalar(*list.len);
    }
    case ExprKind::LastYear:
      return scalar(param(e.ref_index, days_from_civil({ym_year(env_.month) - 1, 12, 31})));
    case ExprKind::AsOf: {
      const z3::expr when = value_of(eval(*e.kids[0], frame)).simplify();
      int64_t v = 0;
      if (!when.is_numeral_i64(v)) unsupported(bilingual("于未知日期的参数", "a parameter as of an unknown date"));
      return scalar(param(e.ref_index, e.kids[0]->type == TypeTable::kDate ? v : first_day_of(v)));
    }
    default: unsupported(bilingual("表达式", "expression"));
  }
}

std::vector<std::optional<Evaluator::Branch>> Evaluator::branches(uint32_t function, std::vector<Sym>& frame) {
  const auto& info = p_.functions[function];
  std::vector<std::optional<Branch>> out;
  for (const auto& b : info.branches) {
    if (b.is_default) {
      out.push_back(std::nullopt);
      continue;
    }
    if (b.jurisdiction != kNone && !p_.is_within(env_.jurisdiction, b.jurisdiction)) {
      // Another jurisdiction's exception: never applies here, and what it
      // reads (values set only there) is not evaluated.
      out.push_back(Branch{ctx_.bool_val(false), fresh_value(info.result, info.name)});
      continue;
    }
    const z3::expr c = value_of(eval(*b.condition, frame));
    out.push_back(Branch{c, eval(*b.value, frame)});
  }
  return out;
}

Sym Evaluator::fresh_value(TypeId type, const std::string& what) {
  const TypeId t = p_.types.unwrap(type);
  const std::string n = fmt::format("{}#{}", what, fresh_++);
  return scalar(t == TypeTable::kBool    ? ctx_.bool_const(n.c_str())
                : t == TypeTable::kRatio ? ctx_.real_const(n.c_str())
                                         : ctx_.int_const(n.c_str()));
}

Sym Evaluator::rule_value(uint32_t function, std::vector<Sym>& frame) {
  const auto& info = p_.functions[function];
  const bool real = info.result == TypeTable::kRatio;
  std::optional<Sym> result;
  for (const auto& b : info.branches)
    if (b.is_default) result = eval(*b.value, frame);
  // No default: when no exception applies the record gets an error; any value.
  if (!result) result = fresh_value(info.result, "gap:" + info.name);
  const auto bs = branches(function, frame);
  z3::expr value = real ? as_real(*result, info.result) : value_of(*result);
  for (size_t i = bs.size(); i-- > 0;) {
    if (!bs[i]) continue;
    z3::expr effective = bs[i]->condition;
    for (uint32_t k : info.overridden_by[i])
      if (bs[k]) effective = effective && !bs[k]->condition;
    const z3::expr v = real ? as_real(bs[i]->value, info.result) : value_of(bs[i]->value);
    value = z3::ite(effective, v, value);
  }
  return scalar(value);
}

Sym Evaluator::call(uint32_t function, std::vector<Sym> args) {
  const auto& info = p_.functions[function];
  const bool memo = info.params.empty();
  if (memo)
    if (auto it = memo_.find(function); it != memo_.end()) return it->second;
  std::vector<Sym> frame = std::move(args);
  frame.resize(std::max(frame.size(), info.local_vars.size()));
  Sym out = info.decided_by_branches() ? rule_value(function, frame) : eval(*info.def->body, frame);
  if (memo) memo_.emplace(function, out);
  return out;
}

}  // namespace doudi::smt
