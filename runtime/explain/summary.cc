#include "runtime/explain/summary.h"

#include <fmt/format.h>

#include <algorithm>

#include "runtime/explain/explain.h"
#include "runtime/explain/tree_reader.h"
#include "runtime/value/calendar.h"

namespace doudi {
namespace {

using explain::Frame;
using explain::ParamMention;
using explain::Said;

bool is_zero(Value v) { return v.a == 0; }

// Lays a tree reader's findings out in lines: the fact of each call (which
// branch decided, why the exceptions did not apply), its reason, the
// parameters and calls it relied on, each once.
class Summary : public explain::TreeReader {
 public:
  Summary(const ir::Module& m, const TraceNode& root, Lang lang, const RecordData* record)
      : TreeReader(m, root, lang, record) {}

  std::string take() { return std::move(out_); }
  std::set<const TraceNode*> deciding() const { return deciding_; }

  void line(int indent, const std::string& text) {
    out_ += std::string(static_cast<size_t>(indent) * 2, ' ');
    out_ += text;
    out_ += '\n';
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
      // An amount of nothing needs no arithmetic when its inputs were nothing.
      if (m_.types.kind(m_.types.unwrap(f.result)) == TypeKind::Bool || !is_zero(call->result) ||
          !made_of_nothing(*call))
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
          !m_.functions[f->function].tree.empty() && made_of_nothing(*f))
        continue;
      fact(c, indent);
    }
  }

  // Whether a call's amount came from amounts of nothing: no household
  // amount it read, and no amount a call below it gave, was other than zero.
  // A zero that income exclusions made out of 200 元 (人均收入 = 200 − 200)
  // is a finding a caseworker must see; 0 + 0 + 0 is not.
  bool made_of_nothing(const TraceNode& n) const {
    const auto& fn = m_.functions[n.function];
    for (const auto& in : fn.code) {
      if (in.op != ir::Op::Field && in.op != ir::Op::Call) continue;
      if (in.dst >= n.registers.size() || in.dst >= fn.regs.size()) continue;
      const TypeKind k = m_.types.kind(m_.types.unwrap(fn.regs[in.dst]));
      if (k != TypeKind::Money && k != TypeKind::Int && k != TypeKind::Ratio) continue;
      const Value v = n.registers[in.dst];
      if (!v.is_absent() && !is_zero(v)) return false;
    }
    // Amounts below, not the conditions that chose them (an age read to
    // decide whether a member counts is not an amount in the sum).
    for (const auto& child : n.children) {
      if (child->function >= m_.functions.size()) continue;
      const TypeKind k = m_.types.kind(m_.types.unwrap(m_.functions[child->function].result));
      if ((k == TypeKind::Money || k == TypeKind::Int || k == TypeKind::Ratio) && !made_of_nothing(*full(child.get())))
        return false;
    }
    return true;
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

 private:
  std::string out_;
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

// The outputs a flag stands beside: those that read what the flag's own
// condition reads (the rules and definitions it calls directly). Not
// everything below those: a flag on 低保渐退 belongs beside 低保渐退 and
// 月低保金, not beside 低保资格 because 低保渐退 reads it too.
std::vector<std::vector<uint32_t>> outputs_of_flags(const ir::Module& m) {
  const auto r = reach(m);
  std::vector<std::vector<uint32_t>> out(m.flags.size());
  for (size_t fi = 0; fi < m.flags.size(); ++fi) {
    const uint32_t ff = m.flags[fi].function;
    if (ff >= r.size()) continue;
    std::set<uint32_t> direct;
    for (const auto& in : m.functions[ff].code)
      if (in.op == ir::Op::Call && in.a < m.functions.size() && in.a != ff) direct.insert(in.a);
    for (uint32_t o = 0; o < m.outputs.size(); ++o) {
      const uint32_t of = m.outputs[o].function;
      if (of >= r.size()) continue;
      for (uint32_t x : direct)
        if (r[of].count(x)) {
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
