#include "compiler/lower/lower.h"

#include <fmt/format.h>

#include <map>
#include <tuple>

#include "compiler/load/module_loader.h"
#include "compiler/sema/checker.h"
#include "runtime/value/calendar.h"
#include "runtime/value/money.h"

namespace doudi {
namespace {

using ast::BinOp;
using ast::Expr;
using ast::ExprKind;
using ir::Inst;
using ir::Op;
using ir::Reg;
using K = TypeKind;

std::vector<std::string> citation_texts(const CitationRef& c) {
  std::vector<std::string> out;
  for (const auto& x : c.citations) out.push_back(x.text);
  return out;
}
std::vector<std::string> note_texts(const CitationRef& c) {
  std::vector<std::string> out;
  for (const auto& x : c.notes) out.push_back(x.text);
  return out;
}
std::vector<std::string> provision_texts(const CitationRef& c) {
  std::vector<std::string> out;
  for (const auto& x : c.provisions) out.push_back(x.text);
  return out;
}
void attach(ir::Function& f, const CitationRef& c) {
  f.citations = citation_texts(c);
  f.notes = note_texts(c);
  f.provisions = provision_texts(c);
}

class Lowerer {
 public:
  Lowerer(const Program& p, ir::Module& m) : p_(p), m_(m) {}

  uint32_t location(Span s) {
    if (!s.valid()) return 0;
    // One location per span: the explanation tree names every sub-expression.
    const auto [at, fresh] = locations_.try_emplace({s.file, s.begin, s.end}, 0);
    if (!fresh) return at->second;
    at->second = static_cast<uint32_t>(m_.locations.size());
    const auto& file = p_.sm.file(s.file);
    const auto lc = file.line_col(s.begin);
    // Named within the file's import root: a bundle and a decision log carry
    // no path of the machine that built them.
    auto [named, fresh_file] = file_names_.try_emplace(s.file);
    if (fresh_file) named->second = path_in_root(file.path());
    m_.locations.push_back(ir::Location{named->second, lc.line, lc.column, std::string(p_.sm.slice(s)), file.path()});
    return static_cast<uint32_t>(m_.locations.size() - 1);
  }

  uint32_t constant(Value v, TypeId t) {
    for (uint32_t i = 0; i < m_.constants.size(); ++i)
      if (m_.constants[i] == v && m_.constant_types[i] == t) return i;
    m_.constants.push_back(v);
    m_.constant_types.push_back(t);
    return static_cast<uint32_t>(m_.constants.size() - 1);
  }

  // --- per-function state ---
  ir::Function* f_ = nullptr;
  Reg reg(TypeId t) {
    f_->regs.push_back(t);
    return static_cast<Reg>(f_->regs.size() - 1);
  }
  uint32_t emit(Inst in) {
    f_->code.push_back(in);
    return static_cast<uint32_t>(f_->code.size() - 1);
  }
  uint32_t here() const { return static_cast<uint32_t>(f_->code.size()); }
  Reg emit_to(Op op, TypeId t, uint32_t a = 0, uint32_t b = 0, uint32_t c = 0, uint32_t loc = 0) {
    const Reg d = reg(t);
    emit(Inst{op, d, a, b, c, 0, loc});
    return d;
  }
  Reg load_const(Value v, TypeId t) { return emit_to(Op::Const, t, constant(v, t)); }
  void mov(Reg dst, Reg src) { emit(Inst{Op::Mov, dst, src, 0, 0, 0, 0}); }

  Reg coerce(Reg r, TypeId from, TypeId to) {
    const auto& T = m_.types;
    if (T.unwrap(to) == TypeTable::kRatio && T.unwrap(from) == TypeTable::kInt)
      return emit_to(Op::ToRatio, TypeTable::kRatio, r);
    return r;
  }

  Reg lower_binary(const Expr& e) {
    const auto& T = m_.types;
    const Expr& L = *e.kids[0];
    const Expr& R = *e.kids[1];
    const uint32_t loc = location(e.span);
    switch (e.op) {
      case BinOp::And:
      case BinOp::Or: {
        const Reg d = reg(TypeTable::kBool);
        mov(d, lower(L));
        const uint32_t br = emit(Inst{Op::Branch, 0, d, 0, 0, 0, 0});
        const uint32_t right = here();
        mov(d, lower(R));
        const uint32_t end = here();
        auto& b = f_->code[br];
        if (e.op == BinOp::And) { b.b = right; b.c = end; } else { b.b = end; b.c = right; }
        return d;
      }
      case BinOp::OrElse: {
        const Reg d = reg(e.type);
        const Reg l = lower(L);
        const Reg has = emit_to(Op::IsPresent, TypeTable::kBool, l);
        const uint32_t br = emit(Inst{Op::Branch, 0, has, 0, 0, 0, 0});
        f_->code[br].b = here();
        mov(d, l);
        const uint32_t j = emit(Inst{Op::Jump, 0, 0, 0, 0, 0, 0});
        f_->code[br].c = here();
        mov(d, coerce(lower(R), R.type, e.type));
        f_->code[j].a = here();
        return d;
      }
      case BinOp::Eq:
      case BinOp::Ne: {
        const TypeId lt = T.unwrap(L.type), rt = T.unwrap(R.type);
        const bool ratio = lt == TypeTable::kRatio || rt == TypeTable::kRatio;
        Reg l = lower(L), r = lower(R);
        if (ratio) { l = coerce(l, L.type, TypeTable::kRatio); r = coerce(r, R.type, TypeTable::kRatio); }
        const Reg eq = emit_to(T.kind(lt) == K::Text ? Op::EqText : Op::Eq, TypeTable::kBool, l, r, 0, loc);
        f_->code.back().d = e.op == BinOp::Eq ? 1 : 1 | 4;
        return e.op == BinOp::Eq ? eq : emit_to(Op::Not, TypeTable::kBool, eq);
      }
      case BinOp::Lt:
      case BinOp::Le:
      case BinOp::Gt:
      case BinOp::Ge: {
        const bool ratio = L.type == TypeTable::kRatio || R.type == TypeTable::kRatio;
        Reg l = lower(L), r = lower(R);
        if (ratio) { l = coerce(l, L.type, TypeTable::kRatio); r = coerce(r, R.type, TypeTable::kRatio); }
        const bool swap = e.op == BinOp::Gt || e.op == BinOp::Ge;
        const bool strict = e.op == BinOp::Lt || e.op == BinOp::Gt;
        const Op op = ratio ? (strict ? Op::LtR : Op::LeR) : (strict ? Op::LtI : Op::LeI);
        const Reg d = swap ? emit_to(op, TypeTable::kBool, r, l, 0, loc) : emit_to(op, TypeTable::kBool, l, r, 0, loc);
        f_->code.back().d = swap ? 1 | 2 : 1;
        return d;
      }
      default:
        break;
    }
    // Arithmetic.
    const K a = T.kind(L.type), b = T.kind(R.type), res = T.kind(e.type);
    Reg l = lower(L), r = lower(R);
    const uint32_t mode = e.rounding == 0 ? 0 : e.rounding - 1u;
    switch (e.op) {
      case BinOp::Add:
      case BinOp::Sub:
        if (res == K::Ratio)
          return emit_to(e.op == BinOp::Add ? Op::AddR : Op::SubR, e.type, coerce(l, L.type, TypeTable::kRatio),
                         coerce(r, R.type, TypeTable::kRatio), 0, loc);
        if (a == K::Date && b == K::Months) {
          if (e.op == BinOp::Sub) r = emit_to(Op::NegI, R.type, r, 0, 0, loc);
          return emit_to(Op::AddDateMonths, e.type, l, r, 0, loc);
        }
        return emit_to(e.op == BinOp::Add ? Op::AddI : Op::SubI, e.type, l, r, 0, loc);
      case BinOp::Mul:
        if (res == K::Ratio)
          return emit_to(Op::MulR, e.type, coerce(l, L.type, TypeTable::kRatio), coerce(r, R.type, TypeTable::kRatio),
                         0, loc);
        if (a == K::Money && b == K::Ratio) return emit_to(Op::MulMoneyRatio, e.type, l, r, mode, loc);
        if (a == K::Ratio && b == K::Money) return emit_to(Op::MulMoneyRatio, e.type, r, l, mode, loc);
        return emit_to(Op::MulI, e.type, l, r, 0, loc);
      case BinOp::Div:
        if (res == K::Ratio) {
          if (a != K::Ratio && b != K::Ratio) return emit_to(Op::DivToRatio, e.type, l, r, 0, loc);
          return emit_to(Op::DivR, e.type, coerce(l, L.type, TypeTable::kRatio), coerce(r, R.type, TypeTable::kRatio),
                         0, loc);
        }
        if (b == K::Ratio) return emit_to(Op::DivMoneyRatio, e.type, l, r, mode, loc);
        return emit_to(Op::DivMoneyInt, e.type, l, r, mode, loc);
      default:
        return l;
    }
  }

  Reg lower_in(const Expr& e) {
    const Expr& elem = *e.kids[0];
    const Expr& coll = *e.kids[1];
    const bool text = m_.types.kind(m_.types.unwrap(elem.type)) == K::Text;
    const Reg x = lower(elem);
    const Reg d = reg(TypeTable::kBool);
    std::vector<uint32_t> to_true;
    if (coll.kind == ExprKind::Set || coll.kind == ExprKind::List) {
      for (const auto& k : coll.kids) {
        const Reg v = lower(*k);
        const Reg c = emit_to(text ? Op::EqText : Op::Eq, TypeTable::kBool, x, v);
        const uint32_t br = emit(Inst{Op::Branch, 0, c, 0, 0, 0, 0});
        f_->code[br].c = here();
        to_true.push_back(br);
      }
    } else {
      // Membership in a list value: a bounded loop.
      const Reg lst = lower(coll);
      const Reg n = emit_to(Op::ListLen, TypeTable::kInt, lst);
      const Reg i = load_const(Value::of(0), TypeTable::kInt);
      const Reg one = load_const(Value::of(1), TypeTable::kInt);
      const uint32_t head = here();
      const Reg more = emit_to(Op::LtI, TypeTable::kBool, i, n);
      const uint32_t exit_br = emit(Inst{Op::Branch, 0, more, 0, 0, 0, 0});
      f_->code[exit_br].b = here();
      const Reg v = emit_to(Op::ListGet, m_.types.get(coll.type).elem, lst, i);
      const Reg c = emit_to(text ? Op::EqText : Op::Eq, TypeTable::kBool, x, v);
      const uint32_t br = emit(Inst{Op::Branch, 0, c, 0, 0, 0, 0});
      to_true.push_back(br);
      f_->code[br].c = here();
      emit(Inst{Op::AddI, i, i, one, 0, 0, 0});
      emit(Inst{Op::Jump, 0, head, 0, 0, 0, 0});
      f_->code[exit_br].c = here();
    }
    emit(Inst{Op::Const, d, constant(Value::of_bool(false), TypeTable::kBool), 0, 0, 0, 0});
    const uint32_t j = emit(Inst{Op::Jump, 0, 0, 0, 0, 0, 0});
    const uint32_t yes = here();
    emit(Inst{Op::Const, d, constant(Value::of_bool(true), TypeTable::kBool), 0, 0, 0, 0});
    f_->code[j].a = here();
    for (auto br : to_true) f_->code[br].b = yes;
    return e.negated ? emit_to(Op::Not, TypeTable::kBool, d) : d;
  }

  Reg lower_aggregate(const Expr& e) {
    const bool count = e.kind == ExprKind::CountWhere;
    const Reg lst = lower(*e.kids[0]);
    const Reg n = emit_to(Op::ListLen, TypeTable::kInt, lst);
    const Reg i = load_const(Value::of(0), TypeTable::kInt);
    const Reg one = load_const(Value::of(1), TypeTable::kInt);
    const Reg var = e.ref_sub;  // the aggregation variable's local register
    const TypeId rt = count ? TypeTable::kInt : e.type;
    const Reg acc = reg(rt);
    const Reg have = reg(TypeTable::kBool);
    const bool is_ratio = rt == TypeTable::kRatio;
    switch (count ? ast::AggKind::Sum : e.agg) {
      case ast::AggKind::Sum:
        emit(Inst{Op::Const, acc, constant(is_ratio ? Value::of_ratio({0, 1}) : Value::of(0), rt), 0, 0, 0, 0});
        break;
      case ast::AggKind::Exists:
        emit(Inst{Op::Const, acc, constant(Value::of_bool(false), TypeTable::kBool), 0, 0, 0, 0});
        break;
      case ast::AggKind::All:
        emit(Inst{Op::Const, acc, constant(Value::of_bool(true), TypeTable::kBool), 0, 0, 0, 0});
        break;
      default:
        emit(Inst{Op::Const, have, constant(Value::of_bool(false), TypeTable::kBool), 0, 0, 0, 0});
        break;
    }
    const uint32_t head = here();
    const Reg more = emit_to(Op::LtI, TypeTable::kBool, i, n);
    const uint32_t exit_br = emit(Inst{Op::Branch, 0, more, 0, 0, 0, 0});
    f_->code[exit_br].b = here();
    emit(Inst{Op::ListGet, var, lst, i, 0, 0, 0});
    // Branch operands to point at the next iteration: (instruction, true = .b / false = .c).
    std::vector<std::pair<uint32_t, bool>> to_next;
    if (e.has_filter) {
      const Reg keep = lower(count ? *e.kids[1] : *e.kids[2]);
      const uint32_t br = emit(Inst{Op::Branch, 0, keep, 0, 0, 0, 0});
      f_->code[br].b = here();
      to_next.push_back({br, false});
    }
    std::vector<uint32_t> to_exit;
    const uint32_t loc = location(e.span);
    if (count) {
      emit(Inst{Op::AddI, acc, acc, one, 0, 0, loc});
    } else {
      const Reg v = lower(*e.kids[1]);
      switch (e.agg) {
        case ast::AggKind::Sum:
          emit(Inst{is_ratio ? Op::AddR : Op::AddI, acc, acc, coerce(v, e.kids[1]->type, rt), 0, 0, loc});
          break;
        case ast::AggKind::Exists:
        case ast::AggKind::All: {
          // Stop at the first member that decides the answer.
          const bool exists = e.agg == ast::AggKind::Exists;
          const uint32_t br = emit(Inst{Op::Branch, 0, v, 0, 0, 0, 0});
          if (exists) { f_->code[br].b = here(); to_next.push_back({br, false}); }
          else { f_->code[br].c = here(); to_next.push_back({br, true}); }
          emit(Inst{Op::Const, acc, constant(Value::of_bool(exists), TypeTable::kBool), 0, 0, 0, 0});
          emit(Inst{Op::Iteration, 0, static_cast<uint32_t>(f_->tree.size()), i, 0, 0, 0});
          to_exit.push_back(emit(Inst{Op::Jump, 0, 0, 0, 0, 0, 0}));
          break;
        }
        case ast::AggKind::Max:
        case ast::AggKind::Min: {
          const bool max = e.agg == ast::AggKind::Max;
          const Reg vv = coerce(v, e.kids[1]->type, rt);
          const uint32_t br = emit(Inst{Op::Branch, 0, have, 0, 0, 0, 0});
          f_->code[br].c = here();
          mov(acc, vv);
          emit(Inst{Op::Const, have, constant(Value::of_bool(true), TypeTable::kBool), 0, 0, 0, 0});
          const uint32_t j = emit(Inst{Op::Jump, 0, 0, 0, 0, 0, 0});
          f_->code[br].b = here();
          const Op op = is_ratio ? (max ? Op::MaxR : Op::MinR) : (max ? Op::MaxI : Op::MinI);
          emit(Inst{op, acc, acc, vv, 0, 0, loc});
          f_->code[j].a = here();
          break;
        }
      }
    }
    const uint32_t next = here();
    for (auto [br, on_true] : to_next) (on_true ? f_->code[br].b : f_->code[br].c) = next;
    // The aggregation's own node is added next (lower()), after its children.
    emit(Inst{Op::Iteration, 0, static_cast<uint32_t>(f_->tree.size()), i, 0, 0, 0});
    emit(Inst{Op::AddI, i, i, one, 0, 0, 0});
    emit(Inst{Op::Jump, 0, head, 0, 0, 0, 0});
    f_->code[exit_br].c = here();
    for (auto j : to_exit) f_->code[j].a = here();
    if (!count && (e.agg == ast::AggKind::Max || e.agg == ast::AggKind::Min)) {
      const uint32_t br = emit(Inst{Op::Branch, 0, have, 0, 0, 0, 0});
      f_->code[br].c = here();
      emit(Inst{Op::EmptyAggregate, 0, e.agg == ast::AggKind::Max ? 0u : 1u, 0, 0, 0, loc});
      f_->code[br].b = here();
    }
    return acc;
  }

  Reg lower_call(const Expr& e) {
    if (e.ref == ast::RefKind::Definition || e.ref == ast::RefKind::Rule) {
      const auto& fn = p_.functions[e.ref_index];
      std::vector<Reg> args;
      for (size_t i = 0; i < e.kids.size(); ++i)
        args.push_back(coerce(lower(*e.kids[i]), e.kids[i]->type, fn.params[i].type));
      const Reg base = static_cast<Reg>(f_->regs.size());
      for (size_t i = 0; i < args.size(); ++i) mov(reg(fn.params[i].type), args[i]);
      return emit_to(Op::Call, fn.result, e.ref_index, base, static_cast<uint32_t>(args.size()), location(e.span));
    }
    const uint32_t loc = location(e.span);
    switch (static_cast<Builtin>(e.ref_sub)) {
      case Builtin::PerMonth:
        return emit_to(Op::DivMoneyInt, e.type, lower(*e.kids[0]), load_const(Value::of(12), TypeTable::kInt),
                       e.rounding - 1u, loc);
      case Builtin::PerYear:
        return emit_to(Op::MulI, e.type, lower(*e.kids[0]), load_const(Value::of(12), TypeTable::kInt), 0, loc);
      case Builtin::MonthsBetween: {
        const Reg a = lower(*e.kids[0]);
        const Reg b = lower(*e.kids[1]);
        return emit_to(Op::SubI, e.type, b, a, 0, loc);
      }
      case Builtin::Present: return emit_to(Op::IsPresent, TypeTable::kBool, lower(*e.kids[0]));
      case Builtin::RoundDown:
      case Builtin::RoundUp:
      case Builtin::RoundHalfUp: return lower(*e.kids[0]);
      case Builtin::Lesser:
      case Builtin::Greater: {
        const bool ratio = e.type == TypeTable::kRatio;
        const Reg a = coerce(lower(*e.kids[0]), e.kids[0]->type, e.type);
        const Reg b = coerce(lower(*e.kids[1]), e.kids[1]->type, e.type);
        const bool less = static_cast<Builtin>(e.ref_sub) == Builtin::Lesser;
        return emit_to(ratio ? (less ? Op::MinR : Op::MaxR) : (less ? Op::MinI : Op::MaxI), e.type, a, b, 0, loc);
      }
      case Builtin::FirstDay: return emit_to(Op::FirstDay, TypeTable::kDate, lower(*e.kids[0]), 0, 0, loc);
      case Builtin::DecisionMonth: break;
    }
    return emit_to(Op::DecisionMonth, TypeTable::kYearMonth);
  }

  // Lowers `e` and adds its node to the function's explanation tree; the
  // nodes of its sub-expressions were added while it was lowered.
  Reg lower(const Expr& e) {
    const size_t first_kid = finished_.size();
    const Reg r = lower_expr(e);
    ir::ExprNode n = tree_node(e);
    n.reg = r;
    n.loc = location(e.span);
    n.kids.assign(finished_.begin() + static_cast<std::ptrdiff_t>(first_kid), finished_.end());
    finished_.resize(first_kid);
    f_->tree.push_back(std::move(n));
    finished_.push_back(static_cast<uint32_t>(f_->tree.size() - 1));
    return r;
  }

  // The explanation tree names aggregations as the AST does.
  static_assert(static_cast<int>(ast::AggKind::Sum) == static_cast<int>(ir::Aggregation::Sum) &&
                static_cast<int>(ast::AggKind::Exists) == static_cast<int>(ir::Aggregation::Exists) &&
                static_cast<int>(ast::AggKind::All) == static_cast<int>(ir::Aggregation::All) &&
                static_cast<int>(ast::AggKind::Max) == static_cast<int>(ir::Aggregation::Max) &&
                static_cast<int>(ast::AggKind::Min) == static_cast<int>(ir::Aggregation::Min));

  ir::ExprNode tree_node(const Expr& e) const {
    using ir::Shape;
    ir::ExprNode n;
    if (is_literal(e.kind)) n.op = 1;
    switch (e.kind) {
      case ExprKind::Name:
        if (e.ref == ast::RefKind::EnumValue) n.op = 1;
        if (e.ref == ast::RefKind::Param) n = {Shape::Param, 0, 0, 0, 0, e.ref_index, {}};
        else if (e.ref == ast::RefKind::Definition || e.ref == ast::RefKind::Rule)
          n = {Shape::Call, 0, 0, 0, 0, e.ref_index, {}};
        break;
      case ExprKind::LastYear:
      case ExprKind::AsOf: n = {Shape::Param, 0, 0, 0, 0, e.ref_index, {}}; break;
      case ExprKind::Field:
        if (e.ref != ast::RefKind::EnumValue) n.shape = Shape::Field;
        else n.op = 1;
        break;
      case ExprKind::Call:
        if (e.ref == ast::RefKind::Definition || e.ref == ast::RefKind::Rule) n = {Shape::Call, 0, 0, 0, 0, e.ref_index, {}};
        else n = {Shape::Builtin, static_cast<uint8_t>(e.ref_sub), 0, 0, 0, 0, {}};
        break;
      case ExprKind::Neg: n.shape = Shape::Neg; break;
      case ExprKind::Not: n.shape = Shape::Not; break;
      case ExprKind::Binary:
        if (e.op == BinOp::And) n.shape = Shape::And;
        else if (e.op == BinOp::Or) n.shape = Shape::Or;
        else if (e.op == BinOp::OrElse) n.shape = Shape::OrElse;
        else if (e.op == BinOp::Add || e.op == BinOp::Sub || e.op == BinOp::Mul || e.op == BinOp::Div)
          n = {Shape::Arith, static_cast<uint8_t>(symbol_of(e.op)), e.rounding, 0, 0, 0, {}};
        else n = {Shape::Compare, static_cast<uint8_t>(symbol_of(e.op)), 0, 0, 0, 0, {}};
        break;
      case ExprKind::In: n = {Shape::In, static_cast<uint8_t>(e.negated ? 1 : 0), 0, 0, 0, 0, {}}; break;
      case ExprKind::If: n.shape = Shape::If; break;
      case ExprKind::Aggregate:
        n = {Shape::Aggregate, static_cast<uint8_t>(e.agg), 0, 0, 0, 0, {}};
        break;
      case ExprKind::CountWhere:
        n = {Shape::Aggregate, static_cast<uint8_t>(ir::Aggregation::CountWhere), 0, 0, 0, 0, {}};
        break;
      case ExprKind::CountList:
        n = {Shape::Aggregate, static_cast<uint8_t>(ir::Aggregation::CountList), 0, 0, 0, 0, {}};
        break;
      default: break;
    }
    return n;
  }

  static bool is_literal(ExprKind k) {
    return k == ExprKind::Number || k == ExprKind::Percent || k == ExprKind::Date || k == ExprKind::YearMonth ||
           k == ExprKind::String || k == ExprKind::Bool;
  }

  Reg lower_expr(const Expr& e) {
    switch (e.kind) {  // every kind: -Wswitch names a new one
      case ExprKind::Number:
      case ExprKind::Percent:
      case ExprKind::Date:
      case ExprKind::YearMonth:
      case ExprKind::String:
      case ExprKind::Bool:
        return load_const(literal(e), e.type);
      case ExprKind::Name:
        switch (e.ref) {
          case ast::RefKind::Local: return e.ref_sub;
          case ast::RefKind::Input: return emit_to(Op::Input, e.type);
          case ast::RefKind::Param: return emit_to(Op::Param, e.type, e.ref_index, 0, 0, location(e.span));
          case ast::RefKind::Definition:
          case ast::RefKind::Rule:
            return emit_to(Op::Call, e.type, e.ref_index, 0, 0, location(e.span));
          case ast::RefKind::EnumValue: return load_const(Value::of(e.ref_sub), e.type);
          case ast::RefKind::DecisionMonth: return emit_to(Op::DecisionMonth, e.type);
          default: return load_const(Value{}, e.type);
        }
      case ExprKind::Field:
        if (e.ref == ast::RefKind::EnumValue) return load_const(Value::of(e.ref_sub), e.type);
        return emit_to(Op::Field, e.type, lower(*e.kids[0]), e.ref_sub);
      case ExprKind::Call: return lower_call(e);
      case ExprKind::Neg:
        return emit_to(e.type == TypeTable::kRatio ? Op::NegR : Op::NegI, e.type, lower(*e.kids[0]), 0, 0,
                       location(e.span));
      case ExprKind::Not: return emit_to(Op::Not, TypeTable::kBool, lower(*e.kids[0]));
      case ExprKind::Binary: return lower_binary(e);
      case ExprKind::In: return lower_in(e);
      case ExprKind::If: {
        const Reg d = reg(e.type);
        const uint32_t br = emit(Inst{Op::Branch, 0, lower(*e.kids[0]), 0, 0, 0, 0});
        f_->code[br].b = here();
        mov(d, coerce(lower(*e.kids[1]), e.kids[1]->type, e.type));
        const uint32_t j = emit(Inst{Op::Jump, 0, 0, 0, 0, 0, 0});
        f_->code[br].c = here();
        mov(d, coerce(lower(*e.kids[2]), e.kids[2]->type, e.type));
        f_->code[j].a = here();
        return d;
      }
      case ExprKind::Aggregate:
      case ExprKind::CountWhere: return lower_aggregate(e);
      case ExprKind::CountList: return emit_to(Op::ListLen, TypeTable::kInt, lower(*e.kids[0]));
      case ExprKind::LastYear: return emit_to(Op::ParamLastYear, e.type, e.ref_index, 0, 0, location(e.span));
      case ExprKind::AsOf: {
        const Reg when = lower(*e.kids[0]);
        return emit_to(Op::ParamAt, e.type, e.ref_index, when, e.kids[0]->type == TypeTable::kDate ? 1 : 0,
                       location(e.span));
      }
      case ExprKind::Set:
      case ExprKind::List:
      case ExprKind::Record:
        break;  // only inside ∈ or tests, handled there
    }
    return load_const(Value{}, e.type);
  }

  Value literal(const Expr& e) {
    const auto& T = m_.types;
    switch (e.kind) {
      case ExprKind::Number:
        if (T.kind(e.type) == K::Money) return Value::of(*parse_money_yuan(e.text).fen);
        if (e.type == TypeTable::kRatio) return Value::of_ratio(*parse_decimal_ratio(e.text, false));
        return Value::of(std::stoll(e.text));
      case ExprKind::Percent: return Value::of_ratio(*parse_decimal_ratio(e.text, true));
      case ExprKind::Date: return Value::of(*parse_date(e.text));
      case ExprKind::YearMonth: return Value::of(*parse_year_month(e.text));
      case ExprKind::Bool: return Value::of_bool(e.text == "true");
      case ExprKind::String:
        m_.strings.push_back(e.text);
        return Value::of_text(&m_.strings.back());
      default: return Value{};
    }
  }

  // --- functions ---
  uint32_t new_function(std::string name, ir::FunctionKind kind, const std::vector<LocalVar>& locals,
                        uint32_t num_params, TypeId result, Span span) {
    ir::Function fn;
    fn.name = std::move(name);
    fn.kind = kind;
    fn.num_params = num_params;
    fn.result = result;
    for (const auto& l : locals) fn.regs.push_back(l.type);
    fn.loc = location(span);
    m_.functions.push_back(std::move(fn));
    return static_cast<uint32_t>(m_.functions.size() - 1);
  }

  void body(uint32_t fn, const Expr& e, TypeId result) {
    f_ = &m_.functions[fn];
    finished_.clear();
    const Reg r = coerce(lower(e), e.type, result);
    emit(Inst{Op::Ret, 0, r, 0, 0, 0, 0});
  }

  // A jurisdiction's exception applies in its jurisdiction and below: the
  // condition is false elsewhere without reading what the exception reads.
  void local_condition(uint32_t fn, const BranchInfo& b) {
    f_ = &m_.functions[fn];
    finished_.clear();
    // Written like `在辖区 且 条件`, so the explanation reads it as one.
    const Reg d = reg(TypeTable::kBool);
    const Reg here_ = emit_to(Op::InJurisdiction, TypeTable::kBool, b.jurisdiction);
    f_->tree.push_back(ir::ExprNode{ir::Shape::InJurisdiction, 0, 0, here_, f_->loc, b.jurisdiction, {}});
    mov(d, here_);
    const uint32_t br = emit(Inst{Op::Branch, 0, d, 0, 0, 0, 0});
    f_->code[br].b = here();
    mov(d, lower(*b.condition));
    f_->code[br].c = here();
    f_->tree.push_back(ir::ExprNode{ir::Shape::And, 0, 0, d, f_->loc, 0, {0, finished_.back()}});
    emit(Inst{Op::Ret, 0, d, 0, 0, 0, 0});
  }

  void lower_rule(uint32_t index) {
    const FunctionInfo& info = p_.functions[index];
    const auto& branches = info.branches;
    const uint32_t np = static_cast<uint32_t>(info.params.size());
    struct BranchFns { uint32_t cond = UINT32_MAX, value; };
    std::vector<BranchFns> fns(branches.size());
    uint32_t default_fn = UINT32_MAX;
    for (size_t i = 0; i < branches.size(); ++i) {
      const auto& b = branches[i];
      CitationRef cite = cite_of(*b.annos);
      // A jurisdiction's exception cites its own clause, never the policy's.
      if (cite.citations.empty() && !b.local) cite.citations = info.cite.citations;
      if (cite.provisions.empty() && !b.local) cite.provisions = info.cite.provisions;
      if (b.is_default) {
        default_fn = new_function(info.name + "#default", ir::FunctionKind::Default, info.local_vars, np, info.result, b.span);
        fns[i].value = default_fn;
      } else {
        fns[i].cond = new_function(info.name + "#" + b.label + ".when", ir::FunctionKind::ExceptionCondition,
                                   info.local_vars, np, TypeTable::kBool, b.condition->span);
        fns[i].value = new_function(info.name + "#" + b.label, ir::FunctionKind::ExceptionValue, info.local_vars,
                                    np, info.result, b.span);
        m_.functions[fns[i].cond].label = b.label;
        m_.functions[fns[i].cond].owner = index;
        if (b.jurisdiction == kNone) body(fns[i].cond, *b.condition, TypeTable::kBool);
        else local_condition(fns[i].cond, b);
      }
      auto& vf = m_.functions[fns[i].value];
      vf.owner = index;
      vf.label = b.is_default ? "" : b.label;
      attach(vf, cite);
      if (fns[i].cond != UINT32_MAX) m_.functions[fns[i].cond].provisions = vf.provisions;
      body(fns[i].value, *b.value, info.result);
    }

    f_ = &m_.functions[index];
    auto call = [&](uint32_t fn, TypeId t) {
      const Reg base = static_cast<Reg>(f_->regs.size());
      for (uint32_t k = 0; k < np; ++k) mov(reg(info.params[k].type), k);
      return emit_to(Op::Call, t, fn, np ? base : 0, np);
    };
    std::vector<Reg> conds(branches.size(), 0);
    for (size_t i = 0; i < branches.size(); ++i)
      if (fns[i].cond != UINT32_MAX) conds[i] = call(fns[i].cond, TypeTable::kBool);
    const Reg have = load_const(Value::of_bool(false), TypeTable::kBool);
    const Reg which = load_const(Value::of(0), TypeTable::kInt);
    const Reg result = reg(info.result);
    const bool text = m_.types.kind(m_.types.unwrap(info.result)) == K::Text;
    for (size_t i = 0; i < branches.size(); ++i) {
      if (fns[i].cond == UINT32_MAX) continue;
      std::vector<uint32_t> skip;
      skip.push_back(emit(Inst{Op::Branch, 0, conds[i], 0, UINT32_MAX, 0, 0}));
      f_->code[skip.back()].b = here();
      for (uint32_t winner : info.overridden_by[i]) {
        // A winning exception that applies masks this one.
        skip.push_back(emit(Inst{Op::Branch, 0, conds[winner], UINT32_MAX, 0, 0, 0}));
        f_->code[skip.back()].c = here();
      }
      const Reg v = call(fns[i].value, info.result);
      const uint32_t br_have = emit(Inst{Op::Branch, 0, have, 0, 0, 0, 0});
      f_->code[br_have].b = here();
      const Reg same = emit_to(text ? Op::EqText : Op::Eq, TypeTable::kBool, v, result);
      const uint32_t br_same = emit(Inst{Op::Branch, 0, same, UINT32_MAX, 0, 0, 0});
      f_->code[br_same].c = here();
      emit(Inst{Op::Conflict, v, index, which, result, static_cast<uint32_t>(i), f_->loc});
      f_->code[br_have].c = here();
      mov(result, v);
      emit(Inst{Op::Const, have, constant(Value::of_bool(true), TypeTable::kBool), 0, 0, 0, 0});
      emit(Inst{Op::Const, which, constant(Value::of(static_cast<int64_t>(i)), TypeTable::kInt), 0, 0, 0, 0});
      const uint32_t next = here();
      f_->code[br_same].b = next;
      for (auto s : skip) {
        auto& b = f_->code[s];
        if (b.b == UINT32_MAX) b.b = next;
        if (b.c == UINT32_MAX) b.c = next;
      }
    }
    const uint32_t br = emit(Inst{Op::Branch, 0, have, 0, 0, 0, 0});
    f_->code[br].c = here();
    if (default_fn != UINT32_MAX) {
      mov(result, call(default_fn, info.result));
      emit(Inst{Op::Ret, 0, result, 0, 0, 0, 0});
    } else {
      emit(Inst{Op::Gap, 0, index, 0, 0, 0, f_->loc});
    }
    f_->code[br].b = here();
    emit(Inst{Op::Ret, 0, result, 0, 0, 0, 0});
  }

  // Text constants must live in the module: the checker keeps them in the
  // Program, which a module (a bundle, say) outlives.
  std::optional<Value> module_text(std::optional<Value> v, TypeId t) {
    if (!v || m_.types.kind(m_.types.unwrap(t)) != K::Text || v->is_absent()) return v;
    m_.strings.push_back(v->text());
    return Value::of_text(&m_.strings.back());
  }

  void run() {
    m_.locations.push_back(ir::Location{});  // location 0 means "unknown"
    m_.name = p_.root_module;
    m_.types = p_.types;
    for (const auto& e : p_.enums) m_.enums.push_back(ir::Enum{e.name, e.values});
    for (const auto& s : p_.structs) {
      ir::Struct st{s.name, {}};
      for (const auto& f : s.fields)
        st.fields.push_back(
            ir::Field{f.name, f.type, f.sensitive, f.required(), module_text(f.default_value, f.type), f.signed_});
      m_.structs.push_back(std::move(st));
    }
    if (p_.input) {
      m_.input_type = p_.input->type;
      m_.input_name = p_.input->name;
    }
    for (const auto& j : p_.jurisdictions) m_.jurisdictions.push_back(ir::Jurisdiction{j.name, j.parent});
    for (const auto& prm : p_.params) {
      ir::Param ip{prm.name, prm.type, {}};
      for (const auto& v : prm.values) {
        auto cites = citation_texts(v.cite);
        if (cites.empty()) cites = citation_texts(prm.cite);
        const Value val = *module_text(v.value, prm.type);
        auto provisions = provision_texts(v.cite);
        if (provisions.empty()) provisions = provision_texts(prm.cite);
        ip.values.push_back(ir::ParamValue{v.jurisdiction, v.from.value_or(INT64_MIN), v.until.value_or(INT64_MAX),
                                           val, std::move(cites), std::move(provisions), location(v.span)});
      }
      m_.params.push_back(std::move(ip));
    }
    // Function i of the program is IR function i; branch and flag functions follow.
    for (const auto& f : p_.functions)
      new_function(f.name, f.rule ? ir::FunctionKind::Rule : ir::FunctionKind::Definition, f.local_vars,
                   static_cast<uint32_t>(f.params.size()), f.result, f.span);
    const std::set<std::string> output_modules = p_.output_modules();
    for (uint32_t i = 0; i < p_.functions.size(); ++i) {
      const auto& f = p_.functions[i];
      // A definition that jurisdictions add exceptions to is cited by its
      // branches (its default carries the definition's citation), so an
      // explanation never shows the policy's clause for a county's value.
      if (!(f.def && f.decided_by_branches())) attach(m_.functions[i], f.cite);
      if (f.decided_by_branches()) lower_rule(i);
      else body(i, *f.def->body, f.result);
      if (f.rule && f.params.empty() && output_modules.count(f.module)) m_.outputs.push_back(ir::Output{f.name, i});
    }
    for (const auto& fl : p_.flags) {
      const uint32_t fn =
          new_function("flag:" + fl.name, ir::FunctionKind::Flag, fl.local_vars, 0, TypeTable::kBool, fl.span);
      body(fn, *fl.decl->condition, TypeTable::kBool);
      const CitationRef cite = cite_of(fl.decl->annos);
      attach(m_.functions[fn], cite);
      m_.flags.push_back(ir::Flag{fl.name, fn, fl.decl->message.text, citation_texts(cite)});
    }
    for (size_t ci = 0; ci < p_.constraints.size(); ++ci) {
      const auto& c = p_.constraints[ci];
      const std::string label = c.decl->label ? c.decl->label->text : "";
      const uint32_t fn = new_function(label.empty() ? fmt::format("constraint#{}", ci + 1) : "constraint:" + label,
                                       ir::FunctionKind::Constraint, c.local_vars, 0, TypeTable::kBool,
                                       c.decl->expr->span);
      body(fn, *c.decl->expr, TypeTable::kBool);
      const CitationRef cite = cite_of(c.decl->annos);
      attach(m_.functions[fn], cite);
      m_.constraints.push_back(ir::Constraint{label, fn, c.jurisdiction, c.decl->validity.from.value_or(INT64_MIN),
                                              c.decl->validity.until.value_or(INT64_MAX), citation_texts(cite)});
    }
  }

 private:
  const Program& p_;
  ir::Module& m_;
  std::map<std::tuple<FileId, uint32_t, uint32_t>, uint32_t> locations_;
  std::map<FileId, std::string> file_names_;
  std::vector<uint32_t> finished_;  // tree nodes not yet taken by a parent
};

}  // namespace

ir::Module lower_program(const Program& program) {
  ir::Module m;
  Lowerer l(program, m);
  l.run();
  return m;
}

}  // namespace doudi
