// Typing of expressions: names, units, arithmetic, aggregations.
#include <cstring>

#include "compiler/ast/keywords.h"
#include "compiler/sema/checker_internal.h"
#include "runtime/value/money.h"
#include "runtime/value/ratio.h"

namespace doudi::check_detail {
namespace {

using ast::BinOp;
using ast::Expr;
using ast::ExprKind;
using K = TypeKind;
constexpr TypeId kErr = TypeTable::kError;

struct BuiltinName {
  const char* zh;
  const char* en;
  Builtin id;
  int arity;
};
constexpr BuiltinName kBuiltins[] = {
#define FUNCTION(id, zh, en, arity) {zh, en, Builtin::id, arity},
#include "runtime/types/builtin_names.def"
};

const BuiltinName* find_builtin(const std::string& n) {
  for (const auto& b : kBuiltins)
    if (n == b.zh || n == b.en) return &b;
  return nullptr;
}

bool is_decision_month(const std::string& n) {
  const BuiltinName* b = find_builtin(n);
  return b && b->id == Builtin::DecisionMonth;
}

std::string op_text(BinOp op) {
  if (op == BinOp::And) return std::string(keyword_text(Keyword::And, Dialect::Zh));
  if (op == BinOp::Or) return std::string(keyword_text(Keyword::Or, Dialect::Zh));
  return std::string(operator_text(symbol_of(op), true));
}

}  // namespace

bool Checker::compatible(TypeId expected, TypeId actual) const {
  if (expected == actual || expected == kErr || actual == kErr) return true;
  const auto& T = p_.types;
  if (expected == TypeTable::kRatio && actual == TypeTable::kInt) return true;
  if (T.kind(expected) == K::Optional) return compatible(T.get(expected).elem, actual);
  return false;
}

void Checker::units_differ(Span at, TypeId a, TypeId b) {
  auto& d = d_.report(DiagCode::E0203, at, {p_.type_name_both(a), p_.type_name_both(b)});
  // 元/月 against 元/年: name the conversion that makes them agree.
  const Period pa = p_.types.get(p_.types.unwrap(a)).period, pb = p_.types.get(p_.types.unwrap(b)).period;
  if ((pa == Period::Month && pb == Period::Year) || (pa == Period::Year && pb == Period::Month))
    d.notes.push_back(make_note(DiagCode::N0411, Span{}));
}

void Checker::expect_type(Expr& e, TypeId expected, TypeId actual) {
  if (compatible(expected, actual)) return;
  const auto& T = p_.types;
  if (T.kind(T.unwrap(expected)) == K::Money && T.kind(actual) == K::Money) {
    units_differ(e.span, expected, actual);
    return;
  }
  if (T.kind(actual) == K::Optional && compatible(expected, T.get(actual).elem)) {
    d_.report(DiagCode::E0205, e.span, {std::string(p_.sm.slice(e.span))});
    return;
  }
  d_.report(DiagCode::E0201, e.span, {p_.type_name_both(expected), p_.type_name_both(actual)});
}

bool Checker::require_bool(Expr& e, TypeId t) {
  if (t == kErr || t == TypeTable::kBool) return t == TypeTable::kBool;
  d_.report(DiagCode::E0204, e.span, {p_.type_name_both(t)});
  return false;
}

bool Checker::reject_optional(Expr& e, TypeId t) {
  if (p_.types.kind(t) != K::Optional) return true;
  d_.report(DiagCode::E0205, e.span, {std::string(p_.sm.slice(e.span))});
  return false;
}

void Checker::unknown_name(const ast::Name& n, Scope& s, TypeId expected) {
  auto& d = d_.report(DiagCode::E0101, n.span, {n.text});
  std::vector<std::string> names;
  for (const auto& [name, slot] : s.vars) names.push_back(name);
  for (const auto& [name, sym] : p_.globals) names.push_back(name);
  for (const auto& [name, vals] : p_.enum_values) names.push_back(name);
  // A Chinese keyword glued to a name (`且家庭`) lexes as one identifier.
  for (Keyword k : {Keyword::And, Keyword::Or, Keyword::Not, Keyword::When, Keyword::Then, Keyword::If, Keyword::Else,
                    Keyword::In, Keyword::NotIn, Keyword::Sum, Keyword::Exists, Keyword::All, Keyword::LastYear}) {
    const std::string_view kw = keyword_text(k, Dialect::Zh);
    const size_t len = kw.size();
    if (n.text.size() > len && n.text.compare(0, len, kw) == 0) {
      const std::string rest = n.text.substr(len);
      for (const auto& cand : names)
        if (cand == rest) {
          d.notes.push_back(make_note(DiagCode::N0402, Span{}, {std::string(kw) + " " + rest}));
          return;
        }
    }
  }
  // Where a 布尔 or an enumeration is expected, only its values make sense:
  // suggest among them and list them (`= 是` for a 布尔 is not `女`).
  const TypeId want = expected ? p_.types.unwrap(expected) : 0;
  if (want == TypeTable::kBool || (want && p_.types.kind(want) == K::Enum)) {
    std::vector<std::string> values;
    if (want == TypeTable::kBool) {
      Dialect dialect = Dialect::Zh;
      for (const auto& f : p_.files)
        if (f.file == n.span.file) dialect = f.dialect;
      values = {std::string(keyword_text(Keyword::True, dialect)), std::string(keyword_text(Keyword::False, dialect))};
    } else {
      values = p_.enums[p_.types.get(want).ref].values;
    }
    if (want == TypeTable::kBool) {
      // Words for yes and no, never an edit-distance guess between 真 and
      // 假: one character apart, a wrong guess means the opposite.
      static const std::pair<std::string_view, bool> kWords[] = {
          {"是", true},  {"对", true},   {"有", true},    {"正确", true},  {"yes", true},   {"Yes", true},
          {"True", true}, {"TRUE", true}, {"否", false},  {"不是", false}, {"错", false},   {"无", false},
          {"没有", false}, {"错误", false}, {"不", false}, {"no", false},   {"No", false},   {"False", false},
          {"FALSE", false}};
      for (const auto& [word, yes] : kWords)
        if (n.text == word) d.notes.push_back(make_note(DiagCode::N0402, Span{}, {values[yes ? 0 : 1]}));
    } else if (auto sug = closest_name(n.text, values); !sug.empty()) {
      d.notes.push_back(make_note(DiagCode::N0402, Span{}, {sug}));
    }
    std::string list;
    for (const auto& v : values) list += (list.empty() ? "" : ", ") + v;
    d.notes.push_back(make_note(DiagCode::N0410, Span{}, {p_.type_name_both(want), list}));
    return;
  }
  if (auto sug = closest_name(n.text, names); !sug.empty())
    d.notes.push_back(make_note(DiagCode::N0402, Span{}, {sug}));
}

TypeId Checker::check_name(Expr& e, Scope& s, TypeId expected) {
  const std::string& n = e.name.text;
  for (auto it = s.vars.rbegin(); it != s.vars.rend(); ++it) {
    if (it->first == n) {
      e.ref = ast::RefKind::Local;
      e.ref_sub = it->second;
      return (*s.locals)[it->second].type;
    }
  }
  if (is_decision_month(n)) {
    e.ref = ast::RefKind::DecisionMonth;
    return TypeTable::kYearMonth;
  }
  if (auto it = p_.globals.find(n); it != p_.globals.end()) {
    const Symbol& sym = it->second;
    switch (sym.kind) {
      case SymbolKind::Input:
        if (s.params_only) break;
        e.ref = ast::RefKind::Input;
        return p_.input->type;
      case SymbolKind::Param:
        e.ref = ast::RefKind::Param;
        e.ref_index = sym.index;
        return p_.params[sym.index].type;
      case SymbolKind::Function: {
        if (s.params_only) break;
        const auto& f = p_.functions[sym.index];
        if (!f.params.empty()) {
          d_.report(DiagCode::E0124, e.span, {n});
          return kErr;
        }
        e.ref = f.kind == FunctionKind::Rule ? ast::RefKind::Rule : ast::RefKind::Definition;
        e.ref_index = sym.index;
        if (s.current_function != kNone) calls_[s.current_function].push_back({sym.index, e.span});
        return f.result;
      }
      case SymbolKind::Enum:
      case SymbolKind::Struct:
      case SymbolKind::Flag:
        break;
    }
    if (s.params_only) {
      d_.report(DiagCode::E0215, e.span, {n});
      return kErr;
    }
  }
  if (p_.type_names.count(n) && !p_.enum_values.count(n)) {
    d_.report(DiagCode::E0126, e.span, {n});
    return kErr;
  }
  if (auto it = p_.enum_values.find(n); it != p_.enum_values.end()) {
    const auto& cands = it->second;
    const TypeId want = expected ? p_.types.unwrap(expected) : 0;
    const std::pair<uint32_t, uint32_t>* pick = nullptr;
    if (want && p_.types.kind(want) == K::Enum)
      for (const auto& c : cands)
        if (c.first == p_.types.get(want).ref) pick = &c;
    if (!pick && cands.size() == 1) pick = &cands[0];
    if (!pick) {
      std::string list;
      for (const auto& c : cands) list += (list.empty() ? "" : ", ") + p_.enums[c.first].name;
      d_.report(DiagCode::E0116, e.span, {n, list});
      return kErr;
    }
    e.ref = ast::RefKind::EnumValue;
    e.ref_index = pick->first;
    e.ref_sub = pick->second;
    return p_.types.enum_type(pick->first);
  }
  unknown_name(e.name, s, expected);
  return kErr;
}

TypeId Checker::arith_result(Expr& e, TypeId l, TypeId r) {
  const auto& T = p_.types;
  const K a = T.kind(l), b = T.kind(r);
  const auto money = [&](Period p) { return p_.types.money(p); };
  const Period pl = T.get(l).period, pr = T.get(r).period;
  auto bad = [&]() {
    if (a == K::Money && b == K::Money)
      units_differ(e.span, l, r);
    else
      d_.report(DiagCode::E0202, e.span, {op_text(e.op), p_.type_name_both(l), p_.type_name_both(r)});
    return kErr;
  };
  const bool num_l = a == K::Int || a == K::Ratio, num_r = b == K::Int || b == K::Ratio;
  switch (e.op) {
    case BinOp::Add:
    case BinOp::Sub:
      if (a == K::Int && b == K::Int) return TypeTable::kInt;
      if (num_l && num_r) return TypeTable::kRatio;
      if (a == K::Money && b == K::Money) return pl == pr ? l : bad();
      if ((a == K::Months && b == K::Months) || (a == K::Days && b == K::Days)) return l;
      if (a == K::YearMonth && b == K::Months) return l;
      if (a == K::Months && b == K::YearMonth && e.op == BinOp::Add) return r;
      if (a == K::YearMonth && b == K::YearMonth && e.op == BinOp::Sub) return TypeTable::kMonths;
      if (a == K::Date && (b == K::Days || b == K::Months)) return l;
      if (a == K::Date && b == K::Date && e.op == BinOp::Sub) return TypeTable::kDays;
      return bad();
    case BinOp::Mul:
      if (a == K::Int && b == K::Int) return TypeTable::kInt;
      if (num_l && num_r) return TypeTable::kRatio;
      if ((a == K::Money && b == K::Int) || (a == K::Int && b == K::Money)) return a == K::Money ? l : r;
      if ((a == K::Money && b == K::Ratio) || (a == K::Ratio && b == K::Money)) {
        e.rounding = 1;
        return a == K::Money ? l : r;
      }
      if ((a == K::Money && pl == Period::Month && b == K::Months) ||
          (a == K::Months && b == K::Money && pr == Period::Month))
        return money(Period::None);
      if ((a == K::Int && (b == K::Months || b == K::Days)) || ((a == K::Months || a == K::Days) && b == K::Int))
        return a == K::Int ? r : l;
      return bad();
    case BinOp::Div:
      if (num_l && num_r) return TypeTable::kRatio;
      if (a == K::Money && num_r) {
        e.rounding = 1;
        return l;
      }
      if (a == K::Money && b == K::Money) return pl == pr ? TypeTable::kRatio : bad();
      if (a == K::Money && pl == Period::None && b == K::Months) {
        e.rounding = 1;
        return money(Period::Month);
      }
      return bad();
    default:
      return bad();
  }
}

TypeId Checker::check_binary(Expr& e, Scope& s) {
  auto& L = *e.kids[0];
  auto& R = *e.kids[1];
  const auto& T = p_.types;
  switch (e.op) {
    case BinOp::And:
    case BinOp::Or: {
      // Both sides are checked, so each reports its own errors.
      const bool left_ok = require_bool(L, check(L, s));
      const bool right_ok = require_bool(R, check(R, s));
      const bool ok = left_ok && right_ok;
      return ok ? TypeTable::kBool : kErr;
    }
    case BinOp::OrElse: {
      const TypeId l = check(L, s);
      if (l == kErr) return check(R, s), kErr;
      if (T.kind(l) != K::Optional) {
        d_.report(DiagCode::E0201, L.span, {p_.type_name_both(p_.types.optional_of(l)), p_.type_name_both(l)});
        check(R, s);
        return kErr;
      }
      const TypeId inner = T.get(l).elem;
      const TypeId r = check(R, s, inner);
      expect_type(R, inner, r);
      return inner;
    }
    case BinOp::Eq:
    case BinOp::Ne: {
      const TypeId l = check(L, s);
      const TypeId r = check(R, s, T.unwrap(l));
      if (l == kErr || r == kErr) return kErr;
      const TypeId lu = T.unwrap(l), ru = T.unwrap(r);
      if (!compatible(lu, ru) && !compatible(ru, lu)) {
        if (T.kind(lu) == K::Money && T.kind(ru) == K::Money)
          units_differ(e.span, lu, ru);
        else
          d_.report(DiagCode::E0202, e.span, {op_text(e.op), p_.type_name_both(l), p_.type_name_both(r)});
        return kErr;
      }
      return TypeTable::kBool;
    }
    case BinOp::Lt:
    case BinOp::Le:
    case BinOp::Gt:
    case BinOp::Ge: {
      const TypeId l = check(L, s);
      const TypeId r = check(R, s);
      if (l == kErr || r == kErr) return kErr;
      if (!reject_optional(L, l) || !reject_optional(R, r)) return kErr;
      if (!T.is_ordered(l)) {
        d_.report(DiagCode::E0217, L.span, {p_.type_name_both(l)});
        return kErr;
      }
      if (!compatible(l, r) && !compatible(r, l)) {
        if (T.kind(l) == K::Money && T.kind(r) == K::Money)
          units_differ(e.span, l, r);
        else
          d_.report(DiagCode::E0202, e.span, {op_text(e.op), p_.type_name_both(l), p_.type_name_both(r)});
        return kErr;
      }
      return TypeTable::kBool;
    }
    default: {
      const TypeId l = check(L, s);
      const TypeId r = check(R, s);
      if (l == kErr || r == kErr) return kErr;
      if (!reject_optional(L, l) || !reject_optional(R, r)) return kErr;
      return arith_result(e, l, r);
    }
  }
}

TypeId Checker::check_call(Expr& e, Scope& s) {
  const std::string& n = e.name.text;
  const auto& T = p_.types;
  auto arity = [&](size_t want) {
    if (e.kids.size() == want) return true;
    d_.report(DiagCode::E0120, e.span, {n, std::to_string(want), std::to_string(e.kids.size())});
    for (auto& k : e.kids) check(*k, s);
    return false;
  };
  if (auto it = p_.globals.find(n); it != p_.globals.end() && it->second.kind == SymbolKind::Function) {
    const auto& f = p_.functions[it->second.index];
    if (!arity(f.params.size())) return kErr;
    for (size_t i = 0; i < e.kids.size(); ++i) {
      const TypeId t = check(*e.kids[i], s, f.params[i].type);
      expect_type(*e.kids[i], f.params[i].type, t);
    }
    e.ref = f.kind == FunctionKind::Rule ? ast::RefKind::Rule : ast::RefKind::Definition;
    e.ref_index = it->second.index;
    if (s.params_only) {
      d_.report(DiagCode::E0215, e.span, {n});
      return kErr;
    }
    if (s.current_function != kNone) calls_[s.current_function].push_back({it->second.index, e.span});
    return f.result;
  }
  const BuiltinName* b = find_builtin(n);
  if (b != nullptr && b->id == Builtin::DecisionMonth) b = nullptr;  // a name, not a function
  if (b == nullptr) {
    if (p_.globals.count(n) || p_.type_names.count(n) || p_.enum_values.count(n)) {
      d_.report(DiagCode::E0121, e.name.span, {n});
      for (auto& k : e.kids) check(*k, s);
      return kErr;
    }
    unknown_name(e.name, s);
    for (auto& k : e.kids) check(*k, s);
    return kErr;
  }
  e.ref = ast::RefKind::Builtin;
  e.ref_sub = static_cast<uint32_t>(b->id);
  if (!arity(static_cast<size_t>(b->arity))) return kErr;
  auto& A = *e.kids[0];
  switch (b->id) {
    case Builtin::PerMonth: {
      const TypeId t = check(A, s);
      expect_type(A, p_.types.money(Period::Year), t);
      e.rounding = 1;
      return p_.types.money(Period::Month);
    }
    case Builtin::PerYear: {
      const TypeId t = check(A, s);
      expect_type(A, p_.types.money(Period::Month), t);
      return p_.types.money(Period::Year);
    }
    case Builtin::MonthsBetween: {
      expect_type(A, TypeTable::kYearMonth, check(A, s));
      expect_type(*e.kids[1], TypeTable::kYearMonth, check(*e.kids[1], s));
      return TypeTable::kMonths;
    }
    case Builtin::Present: {
      const TypeId t = check(A, s);
      if (t != kErr && T.kind(t) != K::Optional)
        d_.report(DiagCode::E0201, A.span, {p_.type_name_both(p_.types.optional_of(t)), p_.type_name_both(t)});
      return TypeTable::kBool;
    }
    case Builtin::RoundDown:
    case Builtin::RoundUp:
    case Builtin::RoundHalfUp: {
      const TypeId t = check(A, s);
      if (t == kErr) return kErr;
      if (A.rounding == 0) {
        d_.report(DiagCode::E0207, e.name.span, {n});
        return kErr;
      }
      A.rounding = b->id == Builtin::RoundDown ? 2 : b->id == Builtin::RoundUp ? 3 : 1;
      return t;
    }
    case Builtin::Lesser:
    case Builtin::Greater: {
      const TypeId l = check(A, s);
      const TypeId r = check(*e.kids[1], s, l);
      if (l == kErr || r == kErr) return kErr;
      if (!reject_optional(A, l) || !reject_optional(*e.kids[1], r)) return kErr;
      if (!T.is_ordered(l)) {
        d_.report(DiagCode::E0217, A.span, {p_.type_name_both(l)});
        return kErr;
      }
      expect_type(*e.kids[1], l, r);
      return l;
    }
    case Builtin::FirstDay:
      expect_type(A, TypeTable::kYearMonth, check(A, s));
      return TypeTable::kDate;
    case Builtin::DecisionMonth:
      break;
  }
  return kErr;
}

TypeId Checker::check_aggregate(Expr& e, Scope& s) {
  const auto& T = p_.types;
  const TypeId lt = check(*e.kids[0], s);
  TypeId elem = kErr;
  if (lt != kErr) {
    if (T.kind(lt) == K::List) elem = T.get(lt).elem;
    else d_.report(DiagCode::E0209, e.kids[0]->span, {p_.type_name_both(lt)});
  }
  const auto slot = static_cast<uint32_t>(s.locals->size());
  s.locals->push_back(LocalVar{e.name.text, elem});
  s.vars.push_back({e.name.text, slot});
  e.ref_sub = slot;
  const bool count = e.kind == ExprKind::CountWhere;
  if (e.has_filter) {
    auto& f = count ? *e.kids[1] : *e.kids[2];
    require_bool(f, check(f, s));
  }
  TypeId result = count ? TypeTable::kInt : kErr;
  if (!count) {
    auto& body = *e.kids[1];
    const TypeId bt = check(body, s);
    switch (e.agg) {
      case ast::AggKind::Sum:
        if (bt == kErr) break;
        if (!reject_optional(body, bt)) break;
        if (!T.is_numeric(bt)) d_.report(DiagCode::E0216, body.span, {p_.type_name_both(bt)});
        else result = bt;
        break;
      case ast::AggKind::Exists:
      case ast::AggKind::All:
        result = require_bool(body, bt) ? TypeTable::kBool : kErr;
        break;
      case ast::AggKind::Max:
      case ast::AggKind::Min:
        if (bt == kErr || !reject_optional(body, bt)) break;
        if (!T.is_ordered(bt)) d_.report(DiagCode::E0217, body.span, {p_.type_name_both(bt)});
        else result = bt;
        break;
    }
  }
  s.vars.pop_back();
  return elem == kErr ? kErr : result;
}

TypeId Checker::check_record(Expr& e, Scope& s, TypeId expected) {
  const auto& T = p_.types;
  const TypeId st = expected ? T.unwrap(expected) : 0;
  if (!st || T.kind(st) != K::Struct) {
    if (st && st != kErr) d_.report(DiagCode::E0201, e.span, {p_.type_name_both(st), "{…}"});
    else if (!st) d_.report(DiagCode::E0214, e.span, {"{…}"});
    return kErr;
  }
  const auto& info = p_.structs[T.get(st).ref];
  std::vector<bool> given(info.fields.size(), false);
  for (size_t i = 0; i < e.keys.size(); ++i) {
    const auto& key = e.keys[i];
    const uint32_t fi = info.field_index(key.text);
    if (fi == kNone) {
      auto& d = d_.report(DiagCode::E0109, key.span, {key.text, info.name});
      std::vector<std::string> names;
      for (const auto& f : info.fields) names.push_back(f.name);
      if (auto sug = closest_name(key.text, names); !sug.empty())
        d.notes.push_back(make_note(DiagCode::N0402, Span{}, {sug}));
      check(*e.kids[i], s);
      continue;
    }
    if (given[fi]) d_.report(DiagCode::E0102, key.span, {key.text});
    given[fi] = true;
    const TypeId t = check(*e.kids[i], s, info.fields[fi].type);
    expect_type(*e.kids[i], info.fields[fi].type, t);
  }
  for (size_t fi = 0; fi < info.fields.size(); ++fi)
    if (!given[fi] && info.fields[fi].required())
      d_.report(DiagCode::E0211, e.span, {info.fields[fi].name, info.name});
  return st;
}

TypeId Checker::check(Expr& e, Scope& s, TypeId expected) {
  const auto& T = p_.types;
  TypeId t = kErr;
  switch (e.kind) {
    case ExprKind::Number: {
      const bool decimal = e.text.find('.') != std::string::npos;
      switch (e.unit) {
        case ast::Unit::None:
          if (decimal) {
            t = parse_decimal_ratio(e.text, false) ? TypeTable::kRatio : kErr;
          } else {
            t = e.text.size() <= 18 ? TypeTable::kInt : kErr;
          }
          if (t == kErr) d_.report(DiagCode::E0009, e.span, {e.text});
          break;
        case ast::Unit::Yuan:
        case ast::Unit::YuanPerMonth:
        case ast::Unit::YuanPerYear: {
          const auto m = parse_money_yuan(e.text);
          if (!m.fen) {
            d_.report(m.error == "too large" ? DiagCode::E0009 : DiagCode::E0206, e.span, {e.text});
            break;
          }
          t = p_.types.money(e.unit == ast::Unit::YuanPerMonth  ? Period::Month
                             : e.unit == ast::Unit::YuanPerYear ? Period::Year
                                                                : Period::None);
          break;
        }
        case ast::Unit::Months:
        case ast::Unit::Days:
          if (decimal) d_.report(DiagCode::E0201, e.span, {p_.type_name_both(TypeTable::kInt), p_.type_name_both(TypeTable::kRatio)});
          else if (e.text.size() > 9) d_.report(DiagCode::E0009, e.span, {e.text});
          else t = e.unit == ast::Unit::Months ? TypeTable::kMonths : TypeTable::kDays;
          break;
      }
      break;
    }
    case ExprKind::Percent:
      t = parse_decimal_ratio(e.text, true) ? TypeTable::kRatio : kErr;
      if (t == kErr) d_.report(DiagCode::E0009, e.span, {e.text});
      break;
    case ExprKind::Date: t = TypeTable::kDate; break;
    case ExprKind::YearMonth: t = TypeTable::kYearMonth; break;
    case ExprKind::String: t = TypeTable::kText; break;
    case ExprKind::Bool: t = TypeTable::kBool; break;
    case ExprKind::Name: t = check_name(e, s, expected); break;
    case ExprKind::Field: {
      auto& obj = *e.kids[0];
      // `枚举名.值` names an enum value.
      if (obj.kind == ExprKind::Name) {
        auto it = p_.type_names.find(obj.name.text);
        bool shadowed = p_.globals.count(obj.name.text) > 0;
        for (const auto& v : s.vars) shadowed |= v.first == obj.name.text;
        if (!shadowed && it != p_.type_names.end() && it->second.kind == SymbolKind::Enum) {
          const auto& en = p_.enums[it->second.index];
          for (uint32_t v = 0; v < en.values.size(); ++v)
            if (en.values[v] == e.name.text) {
              e.ref = ast::RefKind::EnumValue;
              e.ref_index = it->second.index;
              e.ref_sub = v;
              t = p_.types.enum_type(it->second.index);
            }
          if (t == kErr) {
            auto& d = d_.report(DiagCode::E0109, e.name.span, {e.name.text, en.name});
            if (auto sug = closest_name(e.name.text, en.values); !sug.empty())
              d.notes.push_back(make_note(DiagCode::N0402, Span{}, {sug}));
          }
          break;
        }
      }
      const TypeId ot = check(obj, s);
      if (ot == kErr) break;
      if (T.kind(ot) == K::Optional) {
        reject_optional(obj, ot);
        break;
      }
      if (T.kind(ot) != K::Struct) {
        d_.report(DiagCode::E0208, obj.span, {p_.type_name_both(ot)});
        break;
      }
      const auto& info = p_.structs[T.get(ot).ref];
      const uint32_t fi = info.field_index(e.name.text);
      if (fi == kNone) {
        auto& d = d_.report(DiagCode::E0109, e.name.span, {e.name.text, info.name});
        std::vector<std::string> names;
        for (const auto& f : info.fields) names.push_back(f.name);
        if (auto sug = closest_name(e.name.text, names); !sug.empty())
          d.notes.push_back(make_note(DiagCode::N0402, Span{}, {sug}));
        break;
      }
      e.ref_index = T.get(ot).ref;
      e.ref_sub = fi;
      t = info.fields[fi].type;
      break;
    }
    case ExprKind::Call: t = check_call(e, s); break;
    case ExprKind::Neg: {
      const TypeId k = check(*e.kids[0], s);
      if (k == kErr || !reject_optional(*e.kids[0], k)) break;
      if (!T.is_numeric(k)) {
        d_.report(DiagCode::E0202, e.span, {"−", p_.type_name_both(k), p_.type_name_both(k)});
        break;
      }
      t = k;
      break;
    }
    case ExprKind::Not:
      t = require_bool(*e.kids[0], check(*e.kids[0], s)) ? TypeTable::kBool : kErr;
      break;
    case ExprKind::Binary: t = check_binary(e, s); break;
    case ExprKind::In: {
      const TypeId l = check(*e.kids[0], s);
      const TypeId lu = T.unwrap(l);
      const TypeId r = check(*e.kids[1], s, l == kErr ? 0 : p_.types.set_of(lu));
      if (l == kErr || r == kErr) break;
      if (T.kind(r) != K::Set && T.kind(r) != K::List) {
        d_.report(DiagCode::E0201, e.kids[1]->span, {p_.type_name_both(p_.types.set_of(lu)), p_.type_name_both(r)});
        break;
      }
      const TypeId re = T.get(r).elem;
      if (!compatible(lu, re) && !compatible(re, lu)) {
        d_.report(DiagCode::E0202, e.span, {"∈", p_.type_name_both(l), p_.type_name_both(r)});
        break;
      }
      t = TypeTable::kBool;
      break;
    }
    case ExprKind::If: {
      const bool ok = require_bool(*e.kids[0], check(*e.kids[0], s));
      const TypeId a = check(*e.kids[1], s, expected);
      const TypeId b = check(*e.kids[2], s, expected ? expected : a);
      if (!ok || a == kErr || b == kErr) break;
      if (a == b) t = a;
      else if (compatible(a, b)) t = a;
      else if (compatible(b, a)) t = b;
      else d_.report(DiagCode::E0210, e.span, {p_.type_name_both(a), p_.type_name_both(b)});
      break;
    }
    case ExprKind::Aggregate:
    case ExprKind::CountWhere: t = check_aggregate(e, s); break;
    case ExprKind::CountList: {
      const TypeId l = check(*e.kids[0], s);
      if (l == kErr) break;
      if (T.kind(l) != K::List) d_.report(DiagCode::E0209, e.kids[0]->span, {p_.type_name_both(l)});
      else t = TypeTable::kInt;
      break;
    }
    case ExprKind::LastYear:
    case ExprKind::AsOf: {
      auto it = p_.globals.find(e.name.text);
      if (e.kind == ExprKind::AsOf) {
        const TypeId d = check(*e.kids[0], s);
        if (d != kErr && d != TypeTable::kYearMonth && d != TypeTable::kDate)
          d_.report(DiagCode::E0201, e.kids[0]->span, {p_.type_name_both(TypeTable::kYearMonth), p_.type_name_both(d)});
      }
      if (it == p_.globals.end()) {
        unknown_name(e.name, s);
        break;
      }
      if (it->second.kind != SymbolKind::Param) {
        d_.report(DiagCode::E0113, e.name.span, {e.name.text});
        break;
      }
      e.ref = ast::RefKind::Param;
      e.ref_index = it->second.index;
      t = p_.params[it->second.index].type;
      break;
    }
    case ExprKind::Set:
    case ExprKind::List: {
      const bool is_set = e.kind == ExprKind::Set;
      TypeId want = expected ? T.unwrap(expected) : 0;
      TypeId elem = want && (T.kind(want) == K::Set || T.kind(want) == K::List) ? T.get(want).elem : 0;
      if (e.kids.empty()) {
        if (!elem) d_.report(DiagCode::E0214, e.span, {is_set ? "{}" : "[]"});
        else t = is_set ? p_.types.set_of(elem) : p_.types.list_of(elem);
        break;
      }
      bool ok = true;
      TypeId first = 0;
      for (auto& k : e.kids) {
        const TypeId kt = check(*k, s, elem ? elem : first);
        if (kt == kErr) { ok = false; continue; }
        if (!first) first = elem ? elem : kt;
        if (!compatible(first, kt)) {
          d_.report(DiagCode::E0212, k->span, {p_.type_name_both(first), p_.type_name_both(kt)});
          ok = false;
        }
      }
      if (ok) t = is_set ? p_.types.set_of(first) : p_.types.list_of(first);
      break;
    }
    case ExprKind::Record:
      // `{}` with a set expected is the empty set.
      if (e.keys.empty() && expected && T.kind(T.unwrap(expected)) == K::Set) {
        t = T.unwrap(expected);
        break;
      }
      t = check_record(e, s, expected);
      break;
  }
  e.type = t;
  return t;
}

}  // namespace doudi::check_detail
