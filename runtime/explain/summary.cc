#include "runtime/explain/summary.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "runtime/explain/explain.h"
#include "runtime/explain/member_labels.h"
#include "runtime/source/operators.h"
#include "runtime/types/builtins.h"
#include "runtime/value/calendar.h"

namespace doudi {
namespace {

using ir::Shape;

// Where a tree is read: the call's trace node and the registers of the
// function's return, or of one element of an aggregation.
struct Frame {
  const TraceNode* node;
  const std::vector<Value>* regs;
  const ir::Function* fn;
};

struct ParamMention {
  uint32_t param;
  const ParamRead* read;
};

// What one part of a reason says: clauses for one line, lines of their own
// (one per element of an aggregation), and the calls and parameters it
// relies on, given after it.
struct Said {
  std::vector<std::string> clauses;
  std::vector<std::string> lines;
  std::vector<const TraceNode*> calls;
  std::vector<ParamMention> params;
  void add(Said&& o) {
    for (auto& x : o.clauses) clauses.push_back(std::move(x));
    for (auto& x : o.lines) lines.push_back(std::move(x));
    calls.insert(calls.end(), o.calls.begin(), o.calls.end());
    params.insert(params.end(), o.params.begin(), o.params.end());
  }
};

bool is_zero(Value v) { return v.a == 0; }

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

class Summary {
 public:
  Summary(const ir::Module& m, const TraceNode& root, Lang lang, const RecordData* record)
      : m_(m), zh_(lang == Lang::Zh), labels_(m, record) {
    index(root);
  }

  std::string take() { return std::move(out_); }
  bool said(const TraceNode* call) const { return said_.count(call_key(*full(call))) > 0; }
  std::set<const TraceNode*> deciding() const { return deciding_; }

  void line(int indent, const std::string& text) {
    out_ += std::string(static_cast<size_t>(indent) * 2, ' ');
    out_ += text;
    out_ += '\n';
  }

  std::string cites(const std::vector<std::string>& c) const {
    std::string out;
    for (const auto& x : c) out += zh_ ? fmt::format("【{}】", x) : fmt::format(" [{}]", x);
    return out;
  }

  std::string value(Value v, TypeId t) const {
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

  std::string call_text(const TraceNode& n) const {
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

  // The call with its registers: a remembered result's first evaluation.
  const TraceNode* full(const TraceNode* n) const {
    if (!n->registers.empty() || n->children.size() > 0) return n;
    auto it = first_.find(call_key(*n));
    return it != first_.end() ? it->second : n;
  }

  // --- one output, one call ---

  void fact(const TraceNode* call, int indent) {
    call = full(call);
    if (!said_.insert(call_key(*call)).second) return;
    deciding_.insert(call);
    const auto& f = m_.functions[call->function];
    const std::string head = fmt::format("{} = {}", call_text(*call), value(call->result, f.result));
    if (!call->finished) {
      line(indent, head + (zh_ ? "（未完成）" : " (not finished)"));
      return;
    }
    const TraceNode* chosen = nullptr;
    std::vector<const TraceNode*> conditions;
    for (const auto& c : call->children) {
      const auto& cf = m_.functions[c->function];
      if (cf.owner != call->function) continue;
      if (cf.kind == ir::FunctionKind::ExceptionCondition) conditions.push_back(c.get());
      if (cf.kind == ir::FunctionKind::Default && c->finished) chosen = c.get();
      if (cf.kind == ir::FunctionKind::ExceptionValue && c->finished && c->result == call->result &&
          (chosen == nullptr || m_.functions[chosen->function].kind != ir::FunctionKind::ExceptionValue))
        chosen = c.get();
    }
    if (chosen == nullptr) {  // a definition without branches
      line(indent, head + cites(f.citations));
      // An amount of nothing needs no arithmetic: its inputs were nothing.
      if (m_.types.kind(m_.types.unwrap(f.result)) == TypeKind::Bool || !is_zero(call->result))
        reason(*call, indent + 1);
      return;
    }
    const auto& cf = m_.functions[chosen->function];
    deciding_.insert(chosen);
    if (cf.kind == ir::FunctionKind::Default) {
      for (const TraceNode* c : conditions) deciding_.insert(c);
      line(indent, head + (zh_ ? "：依据默认规定" : ": by the default") + cites(cf.citations));
      // Why no exception applied: each condition's failing part.
      Said none;
      std::vector<std::string> parts;
      for (const TraceNode* c : conditions) {
        Said s = condition(*c);
        parts.push_back(fmt::format(fmt::runtime(zh_ ? "「{}」（{}）" : "`{}` ({})"), m_.functions[c->function].label,
                                    join(s.clauses, zh_ ? "；" : "; ")));
        for (auto& l : s.lines) none.lines.push_back(std::move(l));
        none.calls.insert(none.calls.end(), s.calls.begin(), s.calls.end());
        none.params.insert(none.params.end(), s.params.begin(), s.params.end());
      }
      if (!parts.empty()) line(indent + 1, (zh_ ? "不适用的例外：" : "exceptions that do not apply: ") + join(parts, zh_ ? "；" : "; "));
      for (const auto& l : none.lines) line(indent + 2, l);
      mentions(none, indent + 1);
      reason(*chosen, indent + 1);
      return;
    }
    line(indent, head + (zh_ ? fmt::format("：依据例外「{}」", cf.label) : fmt::format(": by exception `{}`", cf.label)) +
                     cites(cf.citations));
    for (const TraceNode* c : conditions)
      if (m_.functions[c->function].label == cf.label) {
        deciding_.insert(c);
        Said s = condition(*c);
        line(indent + 1, (zh_ ? "条件：" : "condition: ") + join(s.clauses, zh_ ? "；" : "; "));
        for (const auto& l : s.lines) line(indent + 2, l);
        mentions(s, indent + 1);
      }
    reason(*chosen, indent + 1);
  }

  Said condition(const TraceNode& c) {
    const TraceNode* n = full(&c);
    const auto& f = m_.functions[n->function];
    if (f.tree.empty() || n->registers.size() != f.regs.size()) return Said{{value(n->result, f.result)}, {}, {}, {}};
    return why(Frame{n, &n->registers, &f}, static_cast<uint32_t>(f.tree.size() - 1));
  }

  // The reason for a call's value from its body's tree.
  void reason(const TraceNode& call, int indent) {
    const TraceNode* n = full(&call);
    const auto& f = m_.functions[n->function];
    if (f.tree.empty() || n->registers.size() != f.regs.size()) return;
    const Frame fr{n, &n->registers, &f};
    const uint32_t root = static_cast<uint32_t>(f.tree.size() - 1);
    Said s = kind_of(fr, root) == TypeKind::Bool ? why(fr, root) : amount(fr, root);
    // Conditions on one line; each formula (= …) on its own.
    std::vector<std::string> conditions;
    std::set<std::string> expanded;
    for (const TraceNode* c : s.calls)
      if (!said(c)) {
        const TraceNode* callee_node = full(c);
        expanded.insert(fmt::format("{} = {}", call_text(*callee_node),
                                    value(callee_node->result, m_.functions[callee_node->function].result)));
      }
    // A parameter given below with where and when it was set says it once.
    for (const auto& p : s.params)
      if (p.read && !params_said_.count({p.param, p.read->value_index}))
        expanded.insert(fmt::format("{} = {}", m_.params[p.param].name, value(p.read->value, m_.params[p.param].type)));
    for (auto& c : s.clauses) {
      if (expanded.count(c)) continue;  // its own line follows
      if (c.rfind("= ", 0) == 0) {
        if (!conditions.empty()) line(indent, join(conditions, zh_ ? "；" : "; "));
        conditions.clear();
        line(indent, c);
      } else if (!c.empty()) {
        conditions.push_back(c);
      }
    }
    if (!conditions.empty()) line(indent, join(conditions, zh_ ? "；" : "; "));
    for (const auto& l : s.lines) line(indent, l);
    mentions(s, indent);
  }

  void mentions(const Said& s, int indent) {
    for (const auto& p : s.params) param(p, indent);
    for (const TraceNode* c : s.calls) {
      // An amount of nothing read into a formula needs no line: its value
      // stands in the formula, and nothing made it up.
      const TraceNode* f = full(c);
      const TypeId t = m_.functions[f->function].result;
      if (m_.types.kind(m_.types.unwrap(t)) != TypeKind::Bool && f->finished && is_zero(f->result) &&
          m_.functions[f->function].kind == ir::FunctionKind::Definition && f->registers.size() > 0 &&
          !m_.functions[f->function].tree.empty())
        continue;
      fact(c, indent);
    }
  }

  void param(const ParamMention& p, int indent) {
    const auto& prm = m_.params[p.param];
    const uint32_t vi = p.read ? p.read->value_index : UINT32_MAX;
    if (!params_said_.insert({p.param, vi}).second || p.read == nullptr) return;
    const std::string v = value(p.read->value, prm.type);
    if (vi >= prm.values.size()) {
      line(indent, fmt::format("{} = {}{}", prm.name, v, zh_ ? "（测试设定）" : " (set by the test)"));
      return;
    }
    const auto& pv = prm.values[vi];
    std::string where = pv.jurisdiction >= m_.jurisdictions.size() ? (zh_ ? "通用" : "everywhere")
                                                                    : m_.jurisdictions[pv.jurisdiction].name;
    if (pv.from != INT64_MIN && pv.until != INT64_MAX)
      where += fmt::format(fmt::runtime(zh_ ? "，{} 至 {}" : ", {} to {}"), format_date(pv.from), format_date(pv.until));
    else if (pv.from != INT64_MIN)
      where += fmt::format(fmt::runtime(zh_ ? "，自 {}" : ", from {}"), format_date(pv.from));
    else if (pv.until != INT64_MAX)
      where += fmt::format(fmt::runtime(zh_ ? "，至 {}" : ", until {}"), format_date(pv.until));
    line(indent, fmt::format(fmt::runtime(zh_ ? "{} = {}（{}）{}" : "{} = {} ({}){}"), prm.name, v, where, cites(pv.citations)));
  }

  // --- reading a tree ---

  const ir::ExprNode& node(const Frame& fr, uint32_t k) const { return fr.fn->tree[k]; }
  Value val(const Frame& fr, uint32_t k) const { return (*fr.regs)[node(fr, k).reg]; }
  TypeId type(const Frame& fr, uint32_t k) const { return fr.fn->regs[node(fr, k).reg]; }
  TypeKind kind_of(const Frame& fr, uint32_t k) const {
    const TypeId t = type(fr, k);
    return t < m_.types.size() ? m_.types.kind(m_.types.unwrap(t)) : TypeKind::Error;
  }
  bool holds(const Frame& fr, uint32_t k) const { return val(fr, k).a != 0 && !val(fr, k).is_absent(); }
  // Values, literals too, are formatted from the registers in the asked
  // language (0 yuan/month in English), never copied from the source text.
  std::string shown(const Frame& fr, uint32_t k) const { return value(val(fr, k), type(fr, k)); }
  std::string src(const Frame& fr, uint32_t k) const {
    const uint32_t loc = node(fr, k).loc;
    return loc < m_.locations.size() ? m_.locations[loc].text : "";
  }

  // The trace node of a call the tree makes: same function, same arguments
  // (or, failing that, same result).
  const TraceNode* callee(const Frame& fr, uint32_t k) const {
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

  const ParamRead* param_read(const Frame& fr, uint32_t k) const {
    for (const auto& p : fr.node->params)
      if (p.param == node(fr, k).ref && p.value == val(fr, k)) return &p;
    return nullptr;
  }

  // The calls and parameters an evaluated part of a tree reads directly.
  void leaves(const Frame& fr, uint32_t k, Said& s) const {
    const auto& n = node(fr, k);
    switch (n.shape) {
      case Shape::Call:
        if (const TraceNode* c = callee(fr, k)) s.calls.push_back(c);
        return;
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

  // Why a condition has its value: the part that decides it.
  Said why(const Frame& fr, uint32_t k) {
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

  // An operand of a comparison: its value, with the arithmetic that made it.
  std::string operand(const Frame& fr, uint32_t k) const {
    const auto shape = node(fr, k).shape;
    if (shape == Shape::Arith || shape == Shape::Neg) return fmt::format("{} = {}", substituted(fr, k), shown(fr, k));
    return shown(fr, k);
  }

  static bool is_sum(const ir::ExprNode& n) {
    return n.shape == Shape::Aggregate && static_cast<ir::Aggregation>(n.op) == ir::Aggregation::Sum;
  }

  // An aggregation's filter (UINT32_MAX if none): its kids are the list,
  // then the filter (if any) and the body (count-where has no body).
  uint32_t filter_of(const Frame& fr, uint32_t k) const {
    const auto& n = node(fr, k);
    const bool has_body = static_cast<ir::Aggregation>(n.op) != ir::Aggregation::CountWhere;
    return n.kids.size() == (has_body ? 3u : 2u) ? n.kids[1] : UINT32_MAX;
  }

  // The elements an aggregation counted or added (its filter held), and
  // those it passed over.
  std::pair<std::vector<const IterationNote*>, std::vector<const IterationNote*>> split(const Frame& fr,
                                                                                       uint32_t k) const {
    const uint32_t filter = filter_of(fr, k);
    std::pair<std::vector<const IterationNote*>, std::vector<const IterationNote*>> out;
    for (const auto& it : fr.node->iterations)
      if (it.node == k && it.registers.size() == fr.regs->size())
        (filter == UINT32_MAX || holds(Frame{fr.node, &it.registers, fr.fn}, filter) ? out.first : out.second)
            .push_back(&it);
    return out;
  }
  std::vector<const IterationNote*> kept(const Frame& fr, uint32_t k) const { return split(fr, k).first; }

  bool zero_field(const Frame& fr, uint32_t k) const {
    return node(fr, k).shape == Shape::Field && kind_of(fr, k) == TypeKind::Money && !val(fr, k).is_absent() &&
           val(fr, k).a == 0;
  }

  static int precedence(const ir::ExprNode& n) {
    if (n.shape != Shape::Arith) return 3;
    const auto op = static_cast<Operator>(n.op);
    return op == Operator::Add || op == Operator::Sub ? 1 : 2;
  }

  // The expression with the values it read put in: 690 元/月 × (1 + 20%).
  std::string substituted(const Frame& fr, uint32_t k) const {
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

  std::string rounding_of(const Frame& fr, uint32_t k) const {
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

  // How an amount was computed.
  Said amount(const Frame& fr, uint32_t k) {
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
      default:
        leaves(fr, k, s);
        return s;
    }
  }

  // The reasons of the 若 conditions an amount's formula went through.
  void conditions_within(const Frame& fr, uint32_t k, Said& s) {
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

  // An aggregation, element by element: the elements that decide it.
  Said elements(const Frame& fr, uint32_t k) {
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
      if (explain_drops && filter != UINT32_MAX) part = why(e, filter);
      else if (has_body && kind_of(e, body) == TypeKind::Bool) part = why(e, body);
      else if (has_body) {
        const auto shape = node(e, body).shape;
        if (shape == Shape::Arith || shape == Shape::Builtin || shape == Shape::Neg)
          part.clauses.push_back(fmt::format("{} = {}{}", substituted(e, body), shown(e, body), rounding_of(e, body)));
        else if (shape == Shape::Field)
          part.clauses.push_back(fmt::format("{} = {}", src(e, body), shown(e, body)));
        leaves(e, body, part);
        if (shape == Shape::Call) part.clauses.push_back("");
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
      if (!only_calls) s.lines.push_back(fmt::format(fmt::runtime(zh_ ? "{}：{}" : "{}: {}"), who, join(part.clauses, zh_ ? "；" : "; ")));
      part.clauses.clear();
      part.lines.clear();
      s.add(std::move(part));
    }
    return s;
  }

  static std::string join(const std::vector<std::string>& xs, std::string_view sep) {
    std::string out;
    for (size_t i = 0; i < xs.size(); ++i) {
      if (i) out += sep;
      out += xs[i];
    }
    return out;
  }

 private:
  void index(const TraceNode& n) {
    for (const auto& c : n.children) {
      if (!c->registers.empty() || !c->children.empty()) first_.try_emplace(call_key(*c), c.get());
      index(*c);
    }
  }

  static constexpr size_t kLongFormula = 90;  // bytes of source text
  const ir::Module& m_;
  bool zh_;
  bool named_fields_ = false;
  MemberLabels labels_;
  std::string out_;
  std::map<CallKey, const TraceNode*> first_;
  std::set<CallKey> said_;
  std::set<std::pair<uint32_t, uint32_t>> params_said_;
  std::set<const TraceNode*> deciding_;
};

// Functions each function calls, directly or not (itself included).
std::vector<std::set<uint32_t>> reach(const ir::Module& m) {
  std::vector<std::set<uint32_t>> out(m.functions.size());
  // Callees have lower depth in an acyclic call graph; iterate to a fixed point.
  bool changed = true;
  for (size_t i = 0; i < m.functions.size(); ++i) out[i].insert(static_cast<uint32_t>(i));
  while (changed) {
    changed = false;
    for (size_t i = 0; i < m.functions.size(); ++i)
      for (const auto& in : m.functions[i].code)
        if (in.op == ir::Op::Call && in.a < m.functions.size())
          for (uint32_t x : std::set<uint32_t>(out[in.a]))
            changed |= out[i].insert(x).second;
  }
  return out;
}

}  // namespace

std::vector<std::vector<uint32_t>> outputs_of_flags(const ir::Module& m) {
  const auto r = reach(m);
  std::vector<std::vector<uint32_t>> out(m.flags.size());
  for (size_t fi = 0; fi < m.flags.size(); ++fi) {
    const uint32_t ff = m.flags[fi].function;
    if (ff >= r.size()) continue;
    for (uint32_t o = 0; o < m.outputs.size(); ++o) {
      const uint32_t of = m.outputs[o].function;
      if (of >= r.size()) continue;
      for (uint32_t x : r[ff])
        if (x != ff && r[of].count(x)) {
          out[fi].push_back(o);
          break;
        }
    }
  }
  return out;
}

SummaryResult explain_summary(const ir::Module& m, const Decision& d, const TraceNode& trace, Lang lang,
                              const RecordData* record, const std::vector<bool>* asked) {
  const bool zh = lang == Lang::Zh;
  if (d.error) return SummaryResult{describe_eval_error(m, *d.error, lang) + "\n", {}};
  // Rules bundled before explanation trees existed: every step, as then.
  if (!m.has_explanation_trees())
    return SummaryResult{explain_decision(m, d, trace, lang, record, asked), {}};
  Summary s(m, trace, lang, record);
  auto is_asked = [&](size_t o) { return asked && o < asked->size() && (*asked)[o]; };
  const bool any_asked = asked && std::find(asked->begin(), asked->end(), true) != asked->end();

  // The trace's top-level call of each output.
  std::vector<const TraceNode*> calls(m.outputs.size(), nullptr);
  for (size_t o = 0; o < m.outputs.size(); ++o)
    for (const auto& c : trace.children)
      if (c->function == m.outputs[o].function) {
        calls[o] = c.get();
        break;
      }
  const auto flag_outputs = outputs_of_flags(m);
  std::vector<std::vector<uint32_t>> flags_of(m.outputs.size());
  std::vector<uint32_t> loose_flags;
  for (uint32_t fi : d.flags) {
    bool placed = false;
    for (uint32_t o : flag_outputs[fi])
      if (!any_asked || is_asked(o)) {
        flags_of[o].push_back(fi);
        placed = true;
      }
    if (!placed) loose_flags.push_back(fi);
  }
  // Left at its default: the default branch decided and gave nothing.
  auto at_default = [&](size_t o) {
    const TraceNode* c = calls[o] ? s.full(calls[o]) : nullptr;
    if (!c || !is_zero(d.outputs[o])) return false;
    for (const auto& k : c->children)
      if (k->function < m.functions.size() && m.functions[k->function].kind == ir::FunctionKind::Default &&
          m.functions[k->function].owner == c->function)
        return true;
    return false;
  };
  std::vector<bool> shown(m.outputs.size()), folded(m.outputs.size());
  bool any_decided = false;
  for (size_t o = 0; o < m.outputs.size(); ++o) {
    shown[o] = !any_asked || is_asked(o);
    folded[o] = shown[o] && !any_asked && at_default(o) && flags_of[o].empty();
    any_decided = any_decided || (shown[o] && !folded[o]);
  }
  // A household that receives nothing: each refusal is the answer.
  if (!any_decided) std::fill(folded.begin(), folded.end(), false);

  auto output_value = [&](size_t o) {
    return fmt::format("{} = {}", m.outputs[o].name,
                       m.format_value(d.outputs[o], m.functions[m.outputs[o].function].result, zh));
  };
  auto flag_text = [&](uint32_t fi) {
    return fmt::format(fmt::runtime(zh ? "⚑ 需人工审核：{}（{}）" : "⚑ manual review: {} ({})"), m.flags[fi].name, m.flags[fi].message);
  };
  s.line(0, zh ? "结论：" : "Outcome:");
  std::vector<std::string> rest;
  for (size_t o = 0; o < m.outputs.size(); ++o) {
    if (!shown[o]) continue;
    if (folded[o]) {
      rest.push_back(output_value(o));
      continue;
    }
    std::string l = output_value(o);
    for (uint32_t fi : flags_of[o]) l += "  " + flag_text(fi);
    s.line(1, l);
  }
  if (!rest.empty())
    s.line(1, fmt::format(fmt::runtime(zh ? "其余 {} 项依默认规定为零或假（理由：--output 名称）：{}"
                                          : "the other {} are zero or false by their default (reasons: --output NAME): {}"),
                          rest.size(), Summary::join(rest, zh ? "，" : ", ")));
  for (uint32_t fi : loose_flags) s.line(1, flag_text(fi));
  if (d.flags.empty()) s.line(1, zh ? "需人工审核的标记：无" : "flags for manual review: none");

  s.line(0, "");
  s.line(0, zh ? "理由：" : "Reasons:");
  auto flag_reason = [&](uint32_t fi, int indent) {
    for (const auto& c : trace.children)
      if (c->function == m.flags[fi].function) {
        Said why = s.condition(*c);
        s.line(indent, fmt::format("⚑ {}{}{}{}", m.flags[fi].name, zh ? "：" : ": ",
                                   Summary::join(why.clauses, zh ? "；" : "; "), s.cites(m.flags[fi].citations)));
        for (const auto& l : why.lines) s.line(indent + 1, l);
        s.mentions(why, indent + 1);
      }
  };
  for (size_t o = 0; o < m.outputs.size(); ++o) {
    if (!shown[o] || folded[o] || !calls[o]) continue;
    if (s.said(calls[o])) s.line(1, output_value(o) + (zh ? "（见上）" : " (see above)"));
    else s.fact(calls[o], 1);
    for (uint32_t fi : flags_of[o]) flag_reason(fi, 2);
  }
  for (uint32_t fi : loose_flags) flag_reason(fi, 1);
  return SummaryResult{s.take(), s.deciding()};
}

}  // namespace doudi
