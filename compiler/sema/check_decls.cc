// Pass 2 of checking: bodies of definitions, rules, flags, constraints and
// tests; parameter values per jurisdiction; precedence; cycles; citations.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <functional>

#include "compiler/sema/checker_internal.h"
#include "runtime/record/record_layout.h"
#include "runtime/value/calendar.h"
#include "runtime/value/checked.h"
#include "runtime/value/money.h"
#include "runtime/value/ratio.h"

namespace doudi::check_detail {
namespace {

using ast::Expr;
using ast::ExprKind;
using K = TypeKind;
constexpr TypeId kErr = TypeTable::kError;


}  // namespace

// The AST's rounding (0 exact, 1 四舍五入, 2 向下, 3 向上) as a RoundMode.
RoundMode round_mode(uint8_t rounding) {
  return rounding == 2 ? RoundMode::Down : rounding == 3 ? RoundMode::Up : RoundMode::HalfUp;
}

std::optional<Value> Checker::constant_value(const Expr& e, TypeId type, RecordData* rec) {
  const auto& T = p_.types;
  if (e.type == kErr || type == kErr) return std::nullopt;
  const TypeId want = T.unwrap(type);
  auto not_constant = [&]() -> std::optional<Value> {
    // A parameter read in a value is not household data: say what it is.
    if (e.kind == ExprKind::Name && e.ref == ast::RefKind::Param)
      d_.report(DiagCode::E0220, e.span, {std::string(p_.sm.slice(e.span))});
    else
      d_.report(DiagCode::E0215, e.span, {std::string(p_.sm.slice(e.span))});
    return std::nullopt;
  };
  switch (e.kind) {
    case ExprKind::Number:
    case ExprKind::Percent: {
      if (T.kind(e.type) == K::Money) return Value::of(*parse_money_yuan(e.text).fen);
      if (T.kind(e.type) == K::Ratio) return Value::of_ratio(*parse_decimal_ratio(e.text, e.kind == ExprKind::Percent));
      const int64_t n = std::stoll(e.text);
      if (T.kind(want) == K::Ratio) return Value::of_ratio(Ratio{n, 1});
      return Value::of(n);
    }
    case ExprKind::Date: return Value::of(*parse_date(e.text));
    case ExprKind::YearMonth: return Value::of(*parse_year_month(e.text));
    case ExprKind::Bool: return Value::of_bool(e.text == "true");
    case ExprKind::String: {
      if (rec) return Value::of_text(rec->intern(e.text));
      p_.constant_strings.push_back(e.text);
      return Value::of_text(&p_.constant_strings.back());
    }
    case ExprKind::Name:
    case ExprKind::Field:
      if (e.ref == ast::RefKind::EnumValue) return Value::of(e.ref_sub);
      return not_constant();
    case ExprKind::Call: {
      // Amounts as documents publish them: 按月(5520 元/年) is a constant,
      // computed as the interpreter computes it (÷ 12, rounded as written).
      if (e.ref != ast::RefKind::Builtin) return not_constant();
      const auto b = static_cast<Builtin>(e.ref_sub);
      if (b == Builtin::RoundDown || b == Builtin::RoundUp || b == Builtin::RoundHalfUp)
        return constant_value(*e.kids[0], type, rec);
      if (b != Builtin::PerMonth && b != Builtin::PerYear) return not_constant();
      auto v = constant_value(*e.kids[0], e.kids[0]->type, rec);
      if (!v) return v;
      auto fen = b == Builtin::PerMonth ? scale_money(v->a, Ratio{12, 1}, true, round_mode(e.rounding))
                                        : checked_mul(v->a, 12);
      if (!fen) {
        d_.report(DiagCode::E1001, e.span, {std::string(p_.sm.slice(e.span))});
        return std::nullopt;
      }
      return Value::of(*fen);
    }
    case ExprKind::Neg: {
      auto v = constant_value(*e.kids[0], type, rec);
      if (!v) return v;
      if (T.kind(want) == K::Ratio) return Value::of_ratio(Ratio{-v->a, v->b});
      auto n = checked_neg(v->a);
      if (!n) return not_constant();
      return Value::of(*n);
    }
    case ExprKind::Binary: {
      // Exact arithmetic on constants (1/3, 1.3 × 500 元/月): the same rules
      // as at run time, rounding money half up unless the rule says otherwise.
      const Expr& L = *e.kids[0];
      const Expr& R = *e.kids[1];
      auto l = constant_value(L, L.type, rec);
      auto r = l ? constant_value(R, R.type, rec) : std::nullopt;
      if (!l || !r) return std::nullopt;
      const K kl = T.kind(L.type), kr = T.kind(R.type), ke = T.kind(e.type);
      auto as_ratio = [&](Value v, K k) { return k == K::Ratio ? v.ratio() : Ratio{v.a, 1}; };
      auto overflow = [&]() -> std::optional<Value> {
        d_.report(DiagCode::E1001, e.span, {std::string(p_.sm.slice(e.span))});
        return std::nullopt;
      };
      const bool zero_divisor = e.op == ast::BinOp::Div && r->a == 0;
      if (zero_divisor) {
        d_.report(DiagCode::E1002, R.span);
        return std::nullopt;
      }
      std::optional<Value> out;
      if (ke == K::Ratio) {
        std::optional<Ratio> x;
        const Ratio a = as_ratio(*l, kl), b = as_ratio(*r, kr);
        switch (e.op) {
          case ast::BinOp::Add: x = ratio_add(a, b); break;
          case ast::BinOp::Sub: x = ratio_sub(a, b); break;
          case ast::BinOp::Mul: x = ratio_mul(a, b); break;
          case ast::BinOp::Div: x = ratio_div(a, b); break;
          default: return not_constant();
        }
        if (!x) return overflow();
        out = Value::of_ratio(*x);
      } else if (e.rounding != 0) {
        // money × ratio, money ÷ number
        const RoundMode mode = round_mode(e.rounding);
        const Value money = kl == K::Money ? *l : *r;
        const Value other = kl == K::Money ? *r : *l;
        const K ko = kl == K::Money ? kr : kl;
        const Ratio f = as_ratio(other, ko == K::Months ? K::Int : ko);
        auto v = scale_money(money.a, f, e.op != ast::BinOp::Mul, mode);
        if (!v) return overflow();
        out = Value::of(*v);
      } else if (kl != K::Ratio && kr != K::Ratio && ke != K::Date) {
        std::optional<int64_t> v;
        switch (e.op) {
          case ast::BinOp::Add: v = checked_add(l->a, r->a); break;
          case ast::BinOp::Sub: v = checked_sub(l->a, r->a); break;
          case ast::BinOp::Mul: v = checked_mul(l->a, r->a); break;
          default: return not_constant();
        }
        if (!v) return overflow();
        out = Value::of(*v);
      } else {
        return not_constant();
      }
      if (T.kind(want) == K::Ratio && ke == K::Int) out = Value::of_ratio(Ratio{out->a, 1});
      return out;
    }
    case ExprKind::Record: {
      if (!rec || T.kind(want) != K::Struct) return not_constant();
      const auto& info = p_.structs[T.get(want).ref];
      // Laid out as a loaded record is (runtime/record/record_layout.h).
      uint32_t words = 0;
      for (const auto& f : info.fields) words += record::slot_words(T, f.type);
      const uint32_t base = rec->alloc(words);
      uint32_t at = base;
      for (const auto& f : info.fields) {
        std::optional<Value> v;
        bool given = false;
        for (size_t k = 0; k < e.keys.size(); ++k) {
          if (e.keys[k].text != f.name) continue;
          given = true;
          v = constant_value(*e.kids[k], f.type, rec);
        }
        if (!given) v = f.default_value ? f.default_value : std::optional<Value>(Value::absent());
        if (!v) return std::nullopt;
        rec->write(at, record::wide_slot(T, f.type), *v);
        at += record::slot_words(T, f.type);
      }
      return Value{base, 0};
    }
    case ExprKind::List: {
      if (e.kids.empty() && T.kind(want) == K::List) return Value{0, 0};  // the empty list needs no storage
      if (!rec || T.kind(want) != K::List) return not_constant();
      const TypeId elem = T.get(want).elem;
      const uint32_t width = record::slot_words(T, elem);
      const uint32_t base = rec->alloc(static_cast<uint32_t>(e.kids.size()) * width);
      for (size_t i = 0; i < e.kids.size(); ++i) {
        auto v = constant_value(*e.kids[i], elem, rec);
        if (!v) return std::nullopt;
        rec->write(base + i * width, width == 2, *v);
      }
      return Value{base, static_cast<int64_t>(e.kids.size())};
    }
    default:
      return not_constant();
  }
}

void Checker::check_rule(FunctionInfo& f, uint32_t index) {
  const BranchInfo* the_default = nullptr;
  std::vector<const BranchInfo*> exceptions;
  for (const auto& b : f.branches) {
    if (b.is_default) {
      if (the_default) d_.report(DiagCode::E0114, b.span, {f.name});
      else the_default = &b;
      continue;
    }
    for (const auto* other : exceptions)
      if (other->label == b.label) {
        auto& d = d_.report(DiagCode::E0115, b.label_span, {b.label, f.name});
        d.notes.push_back(make_note(DiagCode::N0401, other->label_span));
      }
    exceptions.push_back(&b);
  }
  for (auto& b : f.branches) {
    Scope s;
    s.locals = &f.local_vars;
    s.current_function = index;
    // A local exception names the parameters itself, in the target's order.
    for (uint32_t i = 0; i < f.params.size(); ++i)
      s.vars.push_back({b.local ? b.local->params[i].text : f.params[i].name, i});
    if (b.condition) require_bool(*b.condition, check(*b.condition, s));
    expect_type(*b.value, f.result, check(*b.value, s, f.result));
  }

  // Precedence: direct edges winner → loser over branch indices, then the
  // transitive closure; a cycle is an error.
  const size_t n = f.branches.size();
  std::vector<std::vector<bool>> beats(n, std::vector<bool>(n, false));
  for (size_t i = 0; i < n; ++i) {
    for (const auto& o : f.branches[i].overrides) {
      size_t target = n;
      for (size_t j = 0; j < n; ++j)
        if (!f.branches[j].is_default && f.branches[j].label == o.text) target = j;
      if (target == n) {
        auto& d = d_.report(DiagCode::E0110, o.span, {o.text, f.name});
        std::vector<std::string> labels;
        for (const auto& b : f.branches)
          if (!b.is_default) labels.push_back(b.label);
        if (auto sug = closest_name(o.text, labels); !sug.empty())
          d.notes.push_back(make_note(DiagCode::N0402, Span{}, {sug}));
        continue;
      }
      beats[i][target] = true;
    }
  }
  for (size_t k = 0; k < n; ++k)
    for (size_t i = 0; i < n; ++i)
      for (size_t j = 0; j < n; ++j)
        if (beats[i][k] && beats[k][j]) beats[i][j] = true;
  f.overridden_by.assign(n, {});
  for (size_t i = 0; i < n; ++i) {
    if (beats[i][i]) {
      d_.report(DiagCode::E0111, f.branches[i].label_span, {f.name});
      return;
    }
    for (size_t j = 0; j < n; ++j)
      if (beats[j][i]) f.overridden_by[i].push_back(static_cast<uint32_t>(j));
  }
}

void Checker::check_tests() {
  for (auto& t : p_.tests) {
    const auto& decl = *t.decl;
    t.jurisdiction = p_.find_jurisdiction(decl.jurisdiction.text);
    if (t.jurisdiction == kNone) {
      auto& d = d_.report(DiagCode::E0106, decl.jurisdiction.span, {decl.jurisdiction.text});
      std::vector<std::string> names;
      for (const auto& j : p_.jurisdictions) names.push_back(j.name);
      if (auto sug = closest_name(decl.jurisdiction.text, names); !sug.empty())
        d.notes.push_back(make_note(DiagCode::N0402, Span{}, {sug}));
    }
    std::vector<LocalVar> locals;
    Scope s;
    s.locals = &locals;
    for (auto& st : decl.stmts) {
      auto it = p_.globals.find(st.name.text);
      const bool known = it != p_.globals.end();
      switch (st.kind) {
        case ast::TestStmt::Kind::SetParam: {
          if (!known || it->second.kind != SymbolKind::Param) {
            if (!known) unknown_name(st.name, s);
            else d_.report(DiagCode::E0113, st.name.span, {st.name.text});
            break;
          }
          const auto& prm = p_.params[it->second.index];
          const TypeId vt = check(*st.value, s, prm.type);
          expect_type(*st.value, prm.type, vt);
          if (vt == kErr || !compatible(prm.type, vt)) break;
          if (auto v = constant_value(*st.value, prm.type, nullptr)) t.param_overrides.push_back({it->second.index, *v});
          break;
        }
        case ast::TestStmt::Kind::SetInput: {
          if (!known || it->second.kind != SymbolKind::Input) {
            if (!known) unknown_name(st.name, s);
            else d_.report(DiagCode::E0119, st.name.span, {st.name.text});
            break;
          }
          const TypeId vt = check(*st.value, s, p_.input->type);
          expect_type(*st.value, p_.input->type, vt);
          if (vt == kErr || !compatible(p_.input->type, vt)) break;
          if (auto v = constant_value(*st.value, p_.input->type, &t.input)) {
            t.input.root = *v;
            t.has_input = true;
          }
          break;
        }
        case ast::TestStmt::Kind::Expect: {
          if (!known || it->second.kind != SymbolKind::Function || !p_.functions[it->second.index].params.empty()) {
            if (!known) unknown_name(st.name, s);
            else d_.report(DiagCode::E0122, st.name.span, {st.name.text});
            break;
          }
          const auto& f = p_.functions[it->second.index];
          const TypeId vt = check(*st.value, s, f.result);
          expect_type(*st.value, f.result, vt);
          if (vt == kErr || !compatible(f.result, vt)) break;
          if (auto v = constant_value(*st.value, f.result, nullptr))
            t.expectations.push_back({&st, it->second.index, kNone, kNone, *v});
          break;
        }
        case ast::TestStmt::Kind::ExpectConstraint: {
          uint32_t found = kNone;
          std::vector<std::string> labels;
          for (uint32_t ci = 0; ci < p_.constraints.size(); ++ci) {
            if (!p_.constraints[ci].decl->label) continue;
            labels.push_back(p_.constraints[ci].decl->label->text);
            if (labels.back() == st.name.text) found = ci;
          }
          if (found == kNone) {
            auto& d = d_.report(DiagCode::E0128, st.name.span, {st.name.text});
            if (auto sug = closest_name(st.name.text, labels); !sug.empty())
              d.notes.push_back(make_note(DiagCode::N0402, Span{}, {sug}));
            break;
          }
          t.expectations.push_back({&st, kNone, kNone, found, Value::of_bool(!st.negated)});
          break;
        }
        case ast::TestStmt::Kind::ExpectFlag: {
          if (!known || it->second.kind != SymbolKind::Flag) {
            auto& d = d_.report(DiagCode::E0123, st.name.span, {st.name.text});
            std::vector<std::string> names;
            for (const auto& fl : p_.flags) names.push_back(fl.name);
            if (auto sug = closest_name(st.name.text, names); !sug.empty())
              d.notes.push_back(make_note(DiagCode::N0402, Span{}, {sug}));
            break;
          }
          t.expectations.push_back({&st, kNone, it->second.index, kNone, Value::of_bool(!st.negated)});
          break;
        }
      }
    }
    // A test that checks values or flags needs a household; one that only
    // checks constraints (parameters) does not.
    bool sets_input = false, needs_input = false;
    for (const auto& st : decl.stmts) {
      sets_input |= st.kind == ast::TestStmt::Kind::SetInput;
      needs_input |= st.kind == ast::TestStmt::Kind::Expect || st.kind == ast::TestStmt::Kind::ExpectFlag;
    }
    if (p_.input && needs_input && !sets_input) d_.report(DiagCode::E0127, decl.name.span, {p_.input->name});
  }
}

void Checker::check_bodies() {
  // Struct field defaults first: test records use them.
  for (auto& st : p_.structs) {
    for (auto& f : st.fields) {
      if (!f.decl->default_value) continue;
      std::vector<LocalVar> locals;
      Scope s;
      s.locals = &locals;
      auto& e = *f.decl->default_value;
      const TypeId t = check(e, s, f.type);
      expect_type(e, f.type, t);
      if (t != kErr && compatible(f.type, t)) f.default_value = constant_value(e, f.type, nullptr);
    }
  }

  // Parameter values: at the declaration (everywhere) and per jurisdiction.
  // A value at the declaration is the document's own, in force everywhere:
  // a module other than the policy's cannot set that parameter (a deployment
  // setting 残疾人上浮比例 = 0% would silently change what the document fixes).
  // A document that leaves a value to local authorities is encoded with the
  // value in a jurisdiction's block, which a deployment may replace.
  std::map<std::string, const ast::ValueSetting*> declared_values;
  for (auto& file : p_.files)
    for (auto& node : file.items)
      if (auto* pd = std::get_if<ast::ParamDecl>(&node.item); pd && pd->value) declared_values[pd->name.text] = &*pd->value;
  auto fixed_elsewhere = [&](const ast::ValueSetting& vs, const ParamInfo& prm, const std::string& module) {
    if (module == prm.module) return false;
    auto fixed = declared_values.find(prm.name);
    if (fixed == declared_values.end()) return false;
    const Span value = fixed->second->value->span;
    auto& d = d_.report(DiagCode::E0132, vs.param.span, {prm.name, prm.module, std::string(p_.sm.slice(value))});
    // The block's syntax in the keywords of the officer's file.
    Dialect dialect = Dialect::Zh;
    for (const auto& f : p_.files)
      if (f.file == vs.param.span.file) dialect = f.dialect;
    const std::string block = dialect == Dialect::En ? fmt::format("jurisdiction X {{ {} = … }}", prm.name)
                                                     : fmt::format("辖区 X {{ {} = … }}", prm.name);
    d.notes.push_back(make_note(DiagCode::N0420, value, {prm.name, block}));
    return true;
  };
  auto add_value = [&](const ast::ValueSetting& vs, uint32_t juris, const ast::Annotations* block_annos,
                       const std::string* module) {
    auto it = p_.globals.find(vs.param.text);
    std::vector<LocalVar> locals;
    Scope s;
    s.locals = &locals;
    if (it == p_.globals.end() || it->second.kind != SymbolKind::Param) {
      if (it == p_.globals.end()) unknown_name(vs.param, s);
      else d_.report(DiagCode::E0113, vs.param.span, {vs.param.text});
      return;
    }
    auto& prm = p_.params[it->second.index];
    if (module && fixed_elsewhere(vs, prm, *module)) return;
    auto& e = *vs.value;
    const TypeId t = check(e, s, prm.type);
    expect_type(e, prm.type, t);
    if (t == kErr || !compatible(prm.type, t)) return;
    auto v = constant_value(e, prm.type, nullptr);
    if (!v) return;
    CitationRef cite = cite_of(vs.annos);
    if (cite.citations.empty() && block_annos) cite.citations = block_annos->citations;
    if (cite.provisions.empty() && block_annos) cite.provisions = block_annos->provisions;
    prm.values.push_back(ParamValue{juris, vs.validity.from, vs.validity.until, *v, vs.span, cite});
  };
  for (auto& file : p_.files)
    for (auto& node : file.items)
      if (auto* pd = std::get_if<ast::ParamDecl>(&node.item); pd && pd->value) add_value(*pd->value, kNone, nullptr, nullptr);
  for (auto& [decl, module] : juris_decls_) {
    const uint32_t j = p_.find_jurisdiction(decl->name.text);
    for (const auto& vs : decl->values) add_value(vs, j, &decl->annos, &module);
  }
  for (uint32_t i = 0; i < p_.params.size(); ++i) settle_validity(i);

  attach_local_exceptions();
  calls_.assign(p_.functions.size(), {});
  for (uint32_t i = 0; i < p_.functions.size(); ++i) {
    auto& f = p_.functions[i];
    if (f.decided_by_branches()) {
      check_rule(f, i);
      continue;
    }
    Scope s;
    s.locals = &f.local_vars;
    s.current_function = i;
    for (uint32_t k = 0; k < f.params.size(); ++k) s.vars.push_back({f.params[k].name, k});
    auto& body = *f.def->body;
    expect_type(body, f.result, check(body, s, f.result));
  }
  for (auto& fl : p_.flags) {
    Scope s;
    s.locals = &fl.local_vars;
    auto& c = *fl.decl->condition;
    require_bool(c, check(c, s));
  }
  for (size_t ci = 0; ci < p_.constraints.size(); ++ci) {
    auto& c = p_.constraints[ci];
    if (c.decl->jurisdiction) {
      c.jurisdiction = p_.find_jurisdiction(c.decl->jurisdiction->text);
      if (c.jurisdiction == kNone) {
        auto& d = d_.report(DiagCode::E0106, c.decl->jurisdiction->span, {c.decl->jurisdiction->text});
        std::vector<std::string> names;
        for (const auto& j : p_.jurisdictions) names.push_back(j.name);
        if (auto sug = closest_name(c.decl->jurisdiction->text, names); !sug.empty())
          d.notes.push_back(make_note(DiagCode::N0402, Span{}, {sug}));
      }
    }
    if (c.decl->label)
      for (size_t prev = 0; prev < ci; ++prev)
        if (p_.constraints[prev].decl->label && p_.constraints[prev].decl->label->text == c.decl->label->text) {
          auto& d = d_.report(DiagCode::E0102, c.decl->label->span, {c.decl->label->text});
          d.notes.push_back(make_note(DiagCode::N0401, p_.constraints[prev].decl->label->span));
        }
    Scope s;
    s.locals = &c.local_vars;
    s.params_only = true;
    auto& e = *c.decl->expr;
    require_bool(e, check(e, s));
  }
  check_tests();
}

void Checker::check_cycles() {
  // Colour-marking DFS over the call graph; report each cycle once, at the
  // first function on it in declaration order.
  std::vector<int> colour(p_.functions.size(), 0);
  std::function<bool(uint32_t)> visit = [&](uint32_t f) -> bool {
    colour[f] = 1;
    for (const auto& [callee, span] : calls_[f]) {
      // A function on a reported cycle is finished, so callers of it are
      // not blamed for the same cycle again.
      if (colour[callee] == 1) {
        d_.report(DiagCode::E0112, span, {p_.functions[callee].name});
        colour[f] = 2;
        return true;
      }
      if (colour[callee] == 0 && visit(callee)) {
        colour[f] = 2;
        return true;
      }
    }
    colour[f] = 2;
    return false;
  };
  for (uint32_t f = 0; f < p_.functions.size(); ++f)
    if (colour[f] == 0) visit(f);
}

void Checker::check_citations() {
  auto warn = [&](const std::vector<ast::Citation>& c, Span at, const char* zh, const char* en, const std::string& n) {
    if (c.empty()) d_.report(DiagCode::W0301, at, {bilingual(zh, en), n});
  };
  for (const auto& f : p_.functions) {
    if (f.def) warn(f.def->annos.citations, f.span, "定义", "definition", f.name);
    // A rule's citation covers its own branches; a jurisdiction's exception
    // cites its own clause.
    const bool covered = f.def || !f.rule->annos.citations.empty();
    for (const auto& b : f.branches)
      if (b.local || !covered)
        warn(b.annos->citations, b.span, b.is_default ? "默认值" : "例外",
             b.is_default ? "default of" : "exception of", b.is_default ? f.name : f.name + "." + b.label);
  }
  for (const auto& fl : p_.flags) warn(fl.decl->annos.citations, fl.span, "标记", "flag", fl.name);
  for (const auto& c : p_.constraints)
    warn(c.decl->annos.citations, c.decl->expr->span, "约束", "constraint",
         c.decl->label ? c.decl->label->text : std::string(p_.sm.slice(c.decl->expr->span)));
  for (const auto& prm : p_.params)
    for (const auto& v : prm.values) {
      const bool declared_here = v.jurisdiction == kNone;
      if (v.cite.citations.empty() && !(declared_here && !prm.cite.citations.empty()))
        d_.report(DiagCode::W0301, v.span, {bilingual("参数取值", "value of"), prm.name});
    }
}

void Checker::run() {
  collect();
  resolve_signatures();
  resolve_jurisdictions();
  check_bodies();
  check_cycles();
  check_citations();
}

}  // namespace doudi::check_detail

namespace doudi {

void check_program(Program& program, DiagSink& diags) {
  check_detail::Checker c(program, diags);
  c.run();
}

}  // namespace doudi
