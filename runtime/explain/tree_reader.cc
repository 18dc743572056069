#include "runtime/explain/tree_reader.h"

#include <fmt/format.h>

#include <algorithm>

#include "runtime/source/operators.h"
#include "runtime/types/builtins.h"

namespace doudi::explain {
namespace {

Operator negation(Operator op) {
  switch (op) {
    case Operator::Lt: return Operator::Ge;
    case Operator::Le: return Operator::Gt;
    case Operator::Gt: return Operator::Le;
    case Operator::Ge: return Operator::Lt;
    case Operator::Eq: return Operator::Ne;
    case Operator::Ne: return Operator::Eq;
    default: return op;
  }
}

}  // namespace

TreeReader::TreeReader(const ir::Module& m, const TraceNode& root, Lang lang, const RecordData* record)
    : m_(m), zh_(lang == Lang::Zh), labels_(m, record) {
  index(root);
}

void TreeReader::index(const TraceNode& n) {
  for (const auto& c : n.children) {
    if (!c->registers.empty() || !c->children.empty()) first_.try_emplace(call_key(*c), c.get());
    index(*c);
  }
}

std::string TreeReader::cites(const std::vector<std::string>& c) const {
  std::string out;
  for (const auto& x : c) out += zh_ ? fmt::format("【{}】", x) : fmt::format(" [{}]", x);
  return out;
}

std::string TreeReader::value(Value v, TypeId t) const {
  if (t >= m_.types.size()) return "?";
  if (v.is_absent() && m_.types.kind(t) != TypeKind::Optional) return "?";
  // A share below one reads as officers write it: 20%, not 0.2.
  if (m_.types.kind(m_.types.unwrap(t)) == TypeKind::Ratio && !v.is_absent() && v.a > 0 && v.a < v.b)
    if (auto pct = Ratio::make(static_cast<__int128>(v.a) * 100, v.b)) {
      const std::string text = format_ratio(*pct);
      if (text.find('/') == std::string::npos) return text + "%";
    }
  return m_.format_value(v, t, zh_);
}

std::string TreeReader::call_text(const TraceNode& n) const {
  const auto& f = m_.functions[n.function];
  std::string out = f.name;
  if (n.args.empty()) return out;
  out += "(";
  for (size_t i = 0; i < n.args.size(); ++i) {
    const TypeId t = i < f.regs.size() ? f.regs[i] : 0;
    out += i ? ", " : "";
    out += m_.types.kind(t) == TypeKind::Struct ? labels_.of(n.args[i].a) : value(n.args[i], t);
  }
  return out + ")";
}

const TraceNode* TreeReader::full(const TraceNode* n) const {
  if (!n->registers.empty() || n->children.size() > 0) return n;
  auto it = first_.find(call_key(*n));
  return it != first_.end() ? it->second : n;
}

TypeKind TreeReader::kind_of(const Frame& fr, uint32_t k) const {
  const TypeId t = type(fr, k);
  return t < m_.types.size() ? m_.types.kind(m_.types.unwrap(t)) : TypeKind::Error;
}

std::string TreeReader::src(const Frame& fr, uint32_t k) const {
  const uint32_t loc = node(fr, k).loc;
  return loc < m_.locations.size() ? m_.locations[loc].text : "";
}

const TraceNode* TreeReader::callee(const Frame& fr, uint32_t k) const {
  const auto& n = node(fr, k);
  const TraceNode* fallback = nullptr;
  for (const auto& c : fr.node->children) {
    if (c->function != n.ref) continue;
    bool same = c->args.size() == n.kids.size();
    for (size_t i = 0; same && i < n.kids.size(); ++i) same = c->args[i] == val(fr, n.kids[i]);
    if (same && c->result == val(fr, k)) return c.get();
    if (!fallback && c->result == val(fr, k)) fallback = c.get();
  }
  return fallback;
}

const ParamRead* TreeReader::param_read(const Frame& fr, uint32_t k) const {
  for (const auto& p : fr.node->params)
    if (p.param == node(fr, k).ref && p.value == val(fr, k)) return &p;
  return nullptr;
}

void TreeReader::leaves(const Frame& fr, uint32_t k, Said& s) const {
  const auto& n = node(fr, k);
  switch (n.shape) {
    case Shape::Call: {
      const TraceNode* c = callee(fr, k);
      if (c) s.calls.push_back(c);
      arguments(fr, k, c, s);
      return;
    }
    case Shape::Param: s.params.push_back({n.ref, param_read(fr, k)}); return;
    case Shape::If: leaves(fr, n.kids[holds(fr, n.kids[0]) ? 1 : 2], s); return;
    case Shape::OrElse: leaves(fr, n.kids[val(fr, n.kids[0]).is_absent() ? 1 : 0], s); return;
    case Shape::And:
    case Shape::Or: {
      const bool first_decides = n.shape == Shape::And ? !holds(fr, n.kids[0]) : holds(fr, n.kids[0]);
      leaves(fr, n.kids[0], s);
      if (!first_decides) leaves(fr, n.kids[1], s);
      return;
    }
    case Shape::Aggregate:
      leaves(fr, n.kids[0], s);
      // What a sum added up, element by element.
      if (is_sum(n))
        for (const IterationNote* it : kept(fr, k)) leaves(Frame{fr.node, &it->registers, fr.fn}, n.kids.back(), s);
      return;
    case Shape::In: leaves(fr, n.kids[0], s); return;
    default:
      for (uint32_t kid : n.kids) leaves(fr, kid, s);
  }
}

// How a call's arguments arose (`符合低保条件(人均收入)`: the 950 元/月),
// for the arguments its value turned on: an income is not derived when the
// household failed on its assets.
void TreeReader::arguments(const Frame& fr, uint32_t k, const TraceNode* c, Said& s) const {
  const auto& kids = node(fr, k).kids;
  for (uint32_t i = 0; i < kids.size(); ++i)
    if (c == nullptr || decided_by_register(*full(c), i)) leaves(fr, kids[i], s);
}

bool TreeReader::decided_by_register(const TraceNode& call, uint32_t reg) const {
  const auto& f = m_.functions[call.function];
  if (f.tree.empty() || call.registers.size() != f.regs.size()) return true;  // a rule's branches: cannot tell
  return reads(Frame{&call, &call.registers, &f}, static_cast<uint32_t>(f.tree.size() - 1), reg);
}

// Whether the part of a tree that decided its value reads a register.
bool TreeReader::reads(const Frame& fr, uint32_t k, uint32_t reg) const {
  const auto& n = node(fr, k);
  switch (n.shape) {
    case Shape::Value: return n.reg == reg;
    case Shape::If: return reads(fr, n.kids[0], reg) || reads(fr, n.kids[holds(fr, n.kids[0]) ? 1 : 2], reg);
    case Shape::OrElse: return reads(fr, n.kids[val(fr, n.kids[0]).is_absent() ? 1 : 0], reg);
    case Shape::And:
    case Shape::Or: {
      // As `why` tells it: the first part alone, the second alone, or both.
      const bool first_decides = n.shape == Shape::And ? !holds(fr, n.kids[0]) : holds(fr, n.kids[0]);
      if (first_decides) return reads(fr, n.kids[0], reg);
      if (holds(fr, k) == (n.shape == Shape::Or)) return reads(fr, n.kids[1], reg);
      return reads(fr, n.kids[0], reg) || reads(fr, n.kids[1], reg);
    }
    case Shape::Aggregate: return reads_anywhere(fr, k, reg);
    default:
      for (uint32_t kid : n.kids)
        if (reads(fr, kid, reg)) return true;
      return false;
  }
}

// Whether any part of a tree reads a register, whichever branch was taken:
// an aggregation's registers hold its last element's, so which branches
// each element took is not known here.
bool TreeReader::reads_anywhere(const Frame& fr, uint32_t k, uint32_t reg) const {
  const auto& n = node(fr, k);
  if (n.shape == Shape::Value) return n.reg == reg;
  for (uint32_t kid : n.kids)
    if (reads_anywhere(fr, kid, reg)) return true;
  return false;
}

Said TreeReader::why(const Frame& fr, uint32_t k) {
  const auto& n = node(fr, k);
  const bool v = holds(fr, k);
  Said s;
  switch (n.shape) {
    case Shape::And:
    case Shape::Or: {
      const bool first = holds(fr, n.kids[0]);
      const bool first_decides = n.shape == Shape::And ? !first : first;
      if (first_decides) return why(fr, n.kids[0]);
      if (v == (n.shape == Shape::Or)) return why(fr, n.kids[1]);  // the second decides
      s = why(fr, n.kids[0]);
      s.add(why(fr, n.kids[1]));
      return s;
    }
    case Shape::Not: return why(fr, n.kids[0]);
    case Shape::If: {
      s = why(fr, n.kids[0]);
      s.add(why(fr, n.kids[holds(fr, n.kids[0]) ? 1 : 2]));
      return s;
    }
    case Shape::OrElse: return why(fr, n.kids[val(fr, n.kids[0]).is_absent() ? 1 : 0]);
    case Shape::Compare: {
      const auto op = static_cast<Operator>(n.op);
      const uint32_t l = n.kids[0], r = n.kids[1];
      if (op == Operator::Eq && node(fr, r).shape == Shape::Value && node(fr, l).shape != Shape::Value) {
        s.clauses.push_back(v ? fmt::format("{} = {}", src(fr, l), shown(fr, l))
                              : fmt::format(fmt::runtime(zh_ ? "{} = {}（不是 {}）" : "{} = {} (not {})"), src(fr, l), shown(fr, l),
                                            shown(fr, r)));
      } else {
        const std::string rel = fmt::format("{} {} {}", operand(fr, l), operator_text(v ? op : negation(op), true),
                                            operand(fr, r));
        s.clauses.push_back(v ? fmt::format(fmt::runtime(zh_ ? "{}：{}" : "{}: {}"), src(fr, k), rel)
                              : fmt::format(fmt::runtime(zh_ ? "{} 不成立：{}" : "not {}: {}"), src(fr, k), rel));
      }
      leaves(fr, l, s);
      leaves(fr, r, s);
      return s;
    }
    case Shape::Call:
      if (const TraceNode* c = callee(fr, k)) {
        s.clauses.push_back(fmt::format("{} = {}", call_text(*c), shown(fr, k)));
        s.calls.push_back(c);
        arguments(fr, k, c, s);
      } else {
        s.clauses.push_back(fmt::format("{} = {}", src(fr, k), shown(fr, k)));
      }
      return s;
    case Shape::Param:
      s.clauses.push_back(fmt::format("{} = {}", src(fr, k), shown(fr, k)));
      s.params.push_back({n.ref, param_read(fr, k)});
      return s;
    case Shape::Field:
      s.clauses.push_back(fmt::format("{} = {}", src(fr, k), shown(fr, k)));
      return s;
    case Shape::In:
      s.clauses.push_back(v ? fmt::format(fmt::runtime(zh_ ? "{}：{}" : "{}: {}"), src(fr, k), shown(fr, n.kids[0]))
                            : fmt::format(fmt::runtime(zh_ ? "{} 不成立：{}" : "not {}: {}"), src(fr, k), shown(fr, n.kids[0])));
      leaves(fr, n.kids[0], s);
      return s;
    case Shape::InJurisdiction: {
      const std::string j = n.ref < m_.jurisdictions.size() ? m_.jurisdictions[n.ref].name : "?";
      s.clauses.push_back(v ? fmt::format(fmt::runtime(zh_ ? "{}的规定" : "a rule of {}"), j)
                            : fmt::format(fmt::runtime(zh_ ? "只适用于{}" : "applies in {} only"), j));
      return s;
    }
    case Shape::Aggregate: return elements(fr, k);
    case Shape::Builtin:
      if (static_cast<Builtin>(n.op) == Builtin::Present && !n.kids.empty()) {
        s.clauses.push_back(fmt::format(fmt::runtime(zh_ ? "{}{}（{} = {}）" : "{}{} ({} = {})"), src(fr, k),
                                        v ? "" : (zh_ ? " 不成立" : ": no"), src(fr, n.kids[0]),
                                        shown(fr, n.kids[0])));
        leaves(fr, n.kids[0], s);
        return s;
      }
      [[fallthrough]];
    default:
      if (!(n.shape == Shape::Value && src(fr, k) == shown(fr, k)))
        s.clauses.push_back(fmt::format("{} = {}", src(fr, k), shown(fr, k)));
      return s;
  }
}

std::string TreeReader::operand(const Frame& fr, uint32_t k) const {
  const auto shape = node(fr, k).shape;
  if (shape == Shape::Arith || shape == Shape::Neg) return fmt::format("{} = {}", substituted(fr, k), shown(fr, k));
  return shown(fr, k);
}

uint32_t TreeReader::filter_of(const Frame& fr, uint32_t k) const {
  const auto& n = node(fr, k);
  const bool has_body = static_cast<ir::Aggregation>(n.op) != ir::Aggregation::CountWhere;
  return n.kids.size() == (has_body ? 3u : 2u) ? n.kids[1] : UINT32_MAX;
}

std::pair<std::vector<const IterationNote*>, std::vector<const IterationNote*>> TreeReader::split(const Frame& fr, uint32_t k) const {
  const uint32_t filter = filter_of(fr, k);
  std::pair<std::vector<const IterationNote*>, std::vector<const IterationNote*>> out;
  for (const auto& it : fr.node->iterations)
    if (it.node == k && it.registers.size() == fr.regs->size())
      (filter == UINT32_MAX || holds(Frame{fr.node, &it.registers, fr.fn}, filter) ? out.first : out.second)
          .push_back(&it);
  return out;
}

bool TreeReader::zero_field(const Frame& fr, uint32_t k) const {
  return node(fr, k).shape == Shape::Field && kind_of(fr, k) == TypeKind::Money && !val(fr, k).is_absent() &&
         val(fr, k).a == 0;
}

int TreeReader::precedence(const ir::ExprNode& n) {
  if (n.shape != Shape::Arith) return 3;
  const auto op = static_cast<Operator>(n.op);
  return op == Operator::Add || op == Operator::Sub ? 1 : 2;
}

std::string TreeReader::substituted(const Frame& fr, uint32_t k) const {
  const auto& n = node(fr, k);
  switch (n.shape) {
    case Shape::Arith: {
      const auto op = static_cast<Operator>(n.op);
      // A field that is nothing adds nothing: 工资 1900 + 0 + 0 … reads as 1900.
      if (op == Operator::Add || op == Operator::Sub) {
        if (zero_field(fr, n.kids[1])) return substituted(fr, n.kids[0]);
        if (op == Operator::Add && zero_field(fr, n.kids[0])) return substituted(fr, n.kids[1]);
      }
      auto side = [&](uint32_t kid, bool right) {
        const int p = precedence(node(fr, kid)), me = precedence(n);
        const bool paren = p < me || (right && p == me && (op == Operator::Sub || op == Operator::Div));
        const std::string t = substituted(fr, kid);
        return paren ? "(" + t + ")" : t;
      };
      return fmt::format("{} {} {}", side(n.kids[0], false), operator_text(op, true), side(n.kids[1], true));
    }
    case Shape::Neg: return "−" + substituted(fr, n.kids[0]);
    case Shape::Aggregate: {
      if (!is_sum(n) || fr.regs != &fr.node->registers) return shown(fr, k);
      const auto its = kept(fr, k);
      if (its.empty()) return shown(fr, k);
      std::string terms;
      const bool paren = its.size() > 1 && precedence(node(fr, n.kids.back())) == 1;
      for (size_t i = 0; i < its.size(); ++i) {
        const std::string t = substituted(Frame{fr.node, &its[i]->registers, fr.fn}, n.kids.back());
        terms += (i ? " + " : "") + (paren ? "(" + t + ")" : t);
      }
      return its.size() > 1 ? "(" + terms + ")" : terms;
    }
    case Shape::If: return substituted(fr, n.kids[holds(fr, n.kids[0]) ? 1 : 2]);
    case Shape::OrElse: return substituted(fr, n.kids[val(fr, n.kids[0]).is_absent() ? 1 : 0]);
    case Shape::Builtin: {
      const auto b = static_cast<Builtin>(n.op);
      if (b == Builtin::Present || b == Builtin::DecisionMonth || n.kids.empty()) return shown(fr, k);
      std::string args;
      for (size_t i = 0; i < n.kids.size(); ++i) args += (i ? ", " : "") + substituted(fr, n.kids[i]);
      return fmt::format("{}({})", builtin_name(b, zh_), args);
    }
    case Shape::Field:
      if (named_fields_) return fmt::format("{} {}", src(fr, k), shown(fr, k));
      return shown(fr, k);
    default: return shown(fr, k);
  }
}

std::string TreeReader::rounding_of(const Frame& fr, uint32_t k) const {
  const auto& n = node(fr, k);
  for (const auto& r : fr.node->roundings)
    if (r.location == n.loc) {
      const char* mode = r.mode == RoundMode::HalfUp ? (zh_ ? "四舍五入" : "rounded half up")
                         : r.mode == RoundMode::Down ? (zh_ ? "向下取整" : "rounded down")
                                                     : (zh_ ? "向上取整" : "rounded up");
      return fmt::format(fmt::runtime(zh_ ? "（{}到分）" : " ({} to the fen)"), mode);
    }
  for (uint32_t kid : n.kids)
    if (auto t = rounding_of(fr, kid); !t.empty()) return t;
  return "";
}

Said TreeReader::amount(const Frame& fr, uint32_t k) {
  const auto& n = node(fr, k);
  Said s;
  switch (n.shape) {
    case Shape::If:
      s = why(fr, n.kids[0]);
      s.add(amount(fr, n.kids[holds(fr, n.kids[0]) ? 1 : 2]));
      return s;
    case Shape::Aggregate: return elements(fr, k);
    case Shape::Arith:
    case Shape::Neg:
    case Shape::Builtin:
      // Which way each 若 inside went, and why.
      conditions_within(fr, k, s);
      // A long formula (fifteen income fields) is not repeated: the fields
      // that count are named where their values stand.
      if (src(fr, k).size() > kLongFormula) {
        named_fields_ = true;
        s.clauses.push_back(fmt::format("= {} = {}{}", substituted(fr, k), shown(fr, k), rounding_of(fr, k)));
        named_fields_ = false;
      } else {
        s.clauses.push_back(
            fmt::format("= {} = {} = {}{}", src(fr, k), substituted(fr, k), shown(fr, k), rounding_of(fr, k)));
      }
      leaves(fr, k, s);
      return s;
    case Shape::Field:
      s.clauses.push_back(fmt::format("= {} = {}", src(fr, k), shown(fr, k)));
      return s;
    case Shape::OrElse: {
      // `家庭.渐退前月低保金 ?? 0 元/月`: the value, and that the field had none
      // when the fallback was used (a caseworker must see a made-up zero).
      const bool absent = val(fr, n.kids[0]).is_absent();
      std::string why_fallback;
      if (absent)
        why_fallback = fmt::format(fmt::runtime(zh_ ? "（{} 没有取值）" : " ({} has no value)"), src(fr, n.kids[0]));
      s.clauses.push_back(fmt::format("= {} = {}{}", src(fr, k), shown(fr, k), why_fallback));
      leaves(fr, k, s);
      return s;
    }
    default:
      leaves(fr, k, s);
      return s;
  }
}

void TreeReader::conditions_within(const Frame& fr, uint32_t k, Said& s) {
  const auto& n = node(fr, k);
  switch (n.shape) {
    case Shape::If:
      s.add(why(fr, n.kids[0]));
      conditions_within(fr, n.kids[holds(fr, n.kids[0]) ? 1 : 2], s);
      return;
    case Shape::OrElse: conditions_within(fr, n.kids[val(fr, n.kids[0]).is_absent() ? 1 : 0], s); return;
    case Shape::Aggregate:
    case Shape::And:
    case Shape::Or:
    case Shape::Compare: return;  // said element by element, or not an amount
    default:
      for (uint32_t kid : n.kids) conditions_within(fr, kid, s);
  }
}

Said TreeReader::elements(const Frame& fr, uint32_t k) {
  const auto& n = node(fr, k);
  const auto agg = static_cast<ir::Aggregation>(n.op);
  Said s;
  // At the root, the call's own line already says the value.
  const bool root = k + 1 == fr.fn->tree.size() && kind_of(fr, k) != TypeKind::Bool;
  s.clauses.push_back(root ? "= " + src(fr, k)
                           : fmt::format(fmt::runtime(zh_ ? "{}：{}" : "{}: {}"), src(fr, k), shown(fr, k)));
  leaves(fr, n.kids[0], s);
  if (agg == ir::Aggregation::CountList) return s;
  const Value list = val(fr, n.kids[0]);
  const bool has_body = agg != ir::Aggregation::CountWhere;
  const uint32_t filter = filter_of(fr, k);
  const uint32_t body = has_body ? n.kids.back() : UINT32_MAX;
  const auto [kept, dropped] = split(fr, k);
  const bool boolean = agg == ir::Aggregation::Exists || agg == ir::Aggregation::All;
  // Which elements to say: those counted or summed; for 存在/全部 the
  // element that decided it (the last one looked at) or, if none did,
  // every one; if nothing was counted, why each element was not.
  std::vector<const IterationNote*> say = kept;
  if (boolean) {
    const bool decided_early = (agg == ir::Aggregation::Exists) == holds(fr, k);
    if (decided_early && !kept.empty()) say = {kept.back()};
  }
  const bool explain_drops = kept.empty();
  if (explain_drops) say = dropped;
  for (const auto* it : say) {
    const Frame e{fr.node, &it->registers, fr.fn};
    const std::string who = labels_.element(list, it->element, zh_);
    Said part;
    Said args;  // how a called body's arguments arose: given after, not on the element's line
    if (explain_drops && filter != UINT32_MAX) part = why(e, filter);
    else if (has_body && kind_of(e, body) == TypeKind::Bool) part = why(e, body);
    else if (has_body) {
      const auto shape = node(e, body).shape;
      if (shape == Shape::Arith || shape == Shape::Builtin || shape == Shape::Neg)
        part.clauses.push_back(fmt::format("{} = {}{}", substituted(e, body), shown(e, body), rounding_of(e, body)));
      else if (shape == Shape::Field)
        part.clauses.push_back(fmt::format("{} = {}", src(e, body), shown(e, body)));
      if (shape == Shape::Call) {
        const TraceNode* c = callee(e, body);
        if (c) part.calls.push_back(c);
        arguments(e, body, c, args);
        part.clauses.push_back("");
      } else {
        leaves(e, body, part);
      }
    } else if (filter != UINT32_MAX) {
      part = why(e, filter);
    }
    // A call says who it is about (计入收入(成员#1)); its own line follows.
    const bool only_calls = part.calls.size() == part.clauses.size() && part.params.empty();
    const bool all_said = std::all_of(part.calls.begin(), part.calls.end(), [&](const TraceNode* c) { return said(c); });
    if (only_calls && all_said && !part.calls.empty()) {
      std::vector<std::string> named;
      for (const TraceNode* c : part.calls)
        named.push_back(fmt::format("{} = {}", call_text(*full(c)), value(full(c)->result, m_.functions[full(c)->function].result)));
      s.lines.push_back(fmt::format(fmt::runtime(zh_ ? "{}：{}（见上）" : "{}: {} (see above)"), who, join(named, zh_ ? "；" : "; ")));
    }
    const bool nothing_to_say =
        std::all_of(part.clauses.begin(), part.clauses.end(), [](const std::string& c) { return c.empty(); });
    if (!only_calls && !nothing_to_say)
      s.lines.push_back(fmt::format(fmt::runtime(zh_ ? "{}：{}" : "{}: {}"), who, join(part.clauses, zh_ ? "；" : "; ")));
    part.clauses.clear();
    part.lines.clear();
    s.add(std::move(part));
    s.calls.insert(s.calls.end(), args.calls.begin(), args.calls.end());
    s.params.insert(s.params.end(), args.params.begin(), args.params.end());
  }
  return s;
}

std::string TreeReader::join(const std::vector<std::string>& xs, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < xs.size(); ++i) {
    if (i) out += sep;
    out += xs[i];
  }
  return out;
}

}  // namespace doudi::explain
