#include "runtime/explain/explain.h"

#include <fmt/format.h>

#include <map>
#include <set>

#include "runtime/explain/member_labels.h"
#include "runtime/value/calendar.h"

namespace doudi {
namespace {

class Explainer {
 public:
  Explainer(const ir::Module& m, Lang lang, const RecordData* record)
      : m_(m), zh_(lang == Lang::Zh), labels_(m, record) {}

  std::string args_text(const ir::Function& f, const std::vector<Value>& args) const {
    if (args.empty()) return "";
    std::string out = "(";
    for (size_t i = 0; i < args.size(); ++i) {
      const TypeId t = i < f.regs.size() ? f.regs[i] : 0;
      std::string a;
      if (m_.types.kind(t) == TypeKind::Struct) {
        a = labels_.of(args[i].a);
      } else {
        a = m_.format_value(args[i], t, zh_);
      }
      out += (i ? ", " : "") + a;
    }
    return out + ")";
  }

  std::string cites(const std::vector<std::string>& c) const {
    std::string out;
    for (const auto& x : c) out += zh_ ? fmt::format("【{}】", x) : fmt::format(" [{}]", x);
    return out;
  }

  std::string value(const ir::Function& f, Value v) const { return m_.format_value(v, f.result, zh_); }

  void line(int indent, const std::string& text) {
    out_ += std::string(static_cast<size_t>(indent) * 2, ' ');
    out_ += text;
    out_ += '\n';
  }

  // A remembered result read again is traced without its steps; the call
  // that computed it carries them. When the output that made that call is
  // not shown (`--output`), the steps are told at the first read instead.
  void index(const TraceNode& n) {
    for (const auto& c : n.children) {
      if (!c->registers.empty() || !c->children.empty()) full_.try_emplace(call_key(*c), c.get());
      index(*c);
    }
  }

  void node(const TraceNode& given, int indent) {
    const TraceNode* fuller = nullptr;
    if (given.children.empty() && given.registers.empty())
      if (auto it = full_.find(call_key(given)); it != full_.end()) fuller = it->second;
    const TraceNode& n = fuller ? *fuller : given;
    const auto& f = m_.functions[n.function];
    // A definition or rule called again with the same arguments is told once.
    const bool named = f.kind == ir::FunctionKind::Definition || f.kind == ir::FunctionKind::Rule;
    const bool repeat = named && shown_.count(call_key(n));
    const std::string v = n.finished ? value(f, n.result) : (zh_ ? "（未完成）" : "(not finished)");
    switch (f.kind) {
      case ir::FunctionKind::Definition:
      case ir::FunctionKind::Rule: {
        const std::string args = args_text(f, n.args);
        if (repeat) {
          line(indent, fmt::format("{}{} = {}{}", f.name, args, v, zh_ ? "（见上）" : " (see above)"));
          return;
        }
        line(indent, fmt::format("{}{} = {}{}", f.name, args, v, f.kind == ir::FunctionKind::Definition ? cites(f.citations) : ""));
        break;
      }
      case ir::FunctionKind::Default:
        line(indent, fmt::format("{}{}{}", zh_ ? "依据默认规定：" : "by the default: ", v, cites(f.citations)));
        break;
      case ir::FunctionKind::ExceptionCondition:
        line(indent, zh_ ? fmt::format("例外「{}」的条件{}", f.label, n.result.a ? "成立" : "不成立")
                         : fmt::format("condition of exception `{}`: {}", f.label, n.result.a ? "holds" : "does not hold"));
        break;
      case ir::FunctionKind::ExceptionValue:
        line(indent, fmt::format("{}{}{}", zh_ ? fmt::format("依据例外「{}」：", f.label)
                                               : fmt::format("by exception `{}`: ", f.label),
                                 v, cites(f.citations)));
        break;
      case ir::FunctionKind::Flag:
        line(indent, fmt::format("{} {}", zh_ ? "标记条件" : "flag condition", v));
        break;
      case ir::FunctionKind::Constraint:
        line(indent, fmt::format("{}{}{}", zh_ ? "约束：" : "constraint: ",
                                 n.result.a ? (zh_ ? "成立" : "holds") : (zh_ ? "不成立" : "violated"), cites(f.citations)));
        break;
    }
    if (named) shown_.insert(call_key(n));
    for (const auto& note : f.notes) line(indent + 1, fmt::format("{}{}", zh_ ? "解释：" : "interpretation: ", note));
    // Within one step, say each parameter and each earlier result once.
    std::set<std::pair<uint32_t, uint32_t>> params_said;
    for (const auto& p : n.params)
      if (params_said.insert({p.param, p.value_index}).second) param(p, indent + 1);
    std::set<std::string> said;
    for (const auto& c : n.comparisons) {
      const std::string text = comparison(c);
      if (said.insert(text).second) line(indent + 1, text);
    }
    for (const auto& r : n.roundings) rounding(r, indent + 1);
    std::set<CallKey> repeats_said;
    for (const auto& c : n.children) {
      const auto& cf = m_.functions[c->function];
      const bool named_child = cf.kind == ir::FunctionKind::Definition || cf.kind == ir::FunctionKind::Rule;
      if (named_child && shown_.count(call_key(*c)) && !repeats_said.insert(call_key(*c)).second) continue;
      node(*c, indent + 1);
    }
  }

  void param(const ParamRead& p, int indent) {
    const auto& prm = m_.params[p.param];
    const std::string v = m_.format_value(p.value, prm.type, zh_);
    if (p.value_index == UINT32_MAX) {
      line(indent, fmt::format("{} {} = {}{}", zh_ ? "参数" : "parameter", prm.name, v, zh_ ? "（测试设定）" : " (set by the test)"));
      return;
    }
    const auto& pv = prm.values[p.value_index];
    std::string where = pv.jurisdiction == UINT32_MAX ? (zh_ ? "通用" : "everywhere") : m_.jurisdictions[pv.jurisdiction].name;
    if (pv.from != INT64_MIN) where += zh_ ? fmt::format("，自 {}", format_date(pv.from)) : fmt::format(", from {}", format_date(pv.from));
    if (pv.until != INT64_MAX) where += zh_ ? fmt::format("，至 {}", format_date(pv.until)) : fmt::format(", until {}", format_date(pv.until));
    line(indent, fmt::format("{} {} = {}{}{}{}{}", zh_ ? "参数" : "parameter", prm.name, v, zh_ ? "（" : " (", where,
                             zh_ ? "）" : ")", cites(pv.citations)));
  }

  // 「人均收入 < 城市低保标准」：950 元/月 < 690 元/月，不成立
  std::string comparison(const ComparisonNote& c) const {
    const std::string written = c.location < m_.locations.size() ? m_.locations[c.location].text : "";
    const std::string l = m_.format_value(c.left, c.left_type, zh_), r = m_.format_value(c.right, c.right_type, zh_);
    return zh_ ? fmt::format("「{}」：{} {} {}，{}", written, l, c.op, r, c.result ? "成立" : "不成立")
               : fmt::format("`{}`: {} {} {}: {}", written, l, c.op, r, c.result ? "holds" : "does not hold");
  }

  void rounding(const RoundingNote& r, int indent) {
    const char* mode = r.mode == RoundMode::HalfUp ? (zh_ ? "四舍五入" : "half up")
                       : r.mode == RoundMode::Down ? (zh_ ? "向下取整" : "down")
                                                   : (zh_ ? "向上取整" : "up");
    const std::string where = r.location < m_.locations.size() ? m_.locations[r.location].text : "";
    // The exact value is in 分; show it in 元 with its fraction.
    const std::string exact = r.exact.den == 1 ? fmt::format("{}", r.exact.num) : fmt::format("{}/{}", r.exact.num, r.exact.den);
    line(indent, zh_ ? fmt::format("舍入：{} 的精确值为 {} 分，按{}取 {} 分", where, exact, mode, r.result.a)
                     : fmt::format("rounding: `{}` is exactly {} fen, rounded {} to {} fen", where, exact, mode, r.result.a));
  }

  std::string take() { return std::move(out_); }

 private:
  const ir::Module& m_;
  bool zh_;
  std::string out_;
  std::set<CallKey> shown_;
  std::map<CallKey, const TraceNode*> full_;
  MemberLabels labels_;
};

}  // namespace

std::string explain_node(const ir::Module& m, const TraceNode& node, Lang lang, int indent,
                         const RecordData* record) {
  Explainer e(m, lang, record);
  e.node(node, indent);
  return e.take();
}

std::string explain_decision(const ir::Module& m, const Decision& d, const TraceNode& trace, Lang lang,
                             const RecordData* record, const std::vector<bool>* shown) {
  auto is_shown = [&](size_t output) { return !shown || (output < shown->size() && (*shown)[output]); };
  std::set<uint32_t> shown_functions;
  for (size_t i = 0; i < m.outputs.size(); ++i)
    if (is_shown(i)) shown_functions.insert(m.outputs[i].function);
  const bool zh = lang == Lang::Zh;
  Explainer e(m, lang, record);
  std::string head;
  if (d.error) {
    head = describe_eval_error(m, *d.error, lang) + "\n";
  } else {
    head += zh ? "结论：\n" : "Outcome:\n";
    for (size_t i = 0; i < m.outputs.size(); ++i) {
      if (!is_shown(i)) continue;
      const auto& f = m.functions[m.outputs[i].function];
      head += fmt::format("  {} = {}\n", m.outputs[i].name, m.format_value(d.outputs[i], f.result, zh));
    }
  }
  head += zh ? "\n理由：\n" : "\nReasons:\n";
  e.index(trace);
  for (const auto& c : trace.children) {
    if (m.functions[c->function].kind == ir::FunctionKind::Flag) continue;
    if (shown && !shown_functions.count(c->function)) continue;
    e.node(*c, 1);
  }
  std::string flags;
  if (!d.error) {
    flags = d.flags.empty() ? (zh ? "\n需人工审核的标记：无\n" : "\nFlags for manual review: none\n")
                            : (zh ? "\n需人工审核的标记：\n" : "\nFlags for manual review:\n");
    for (auto fi : d.flags) {
      const auto& fl = m.flags[fi];
      flags += fmt::format("  {}：{}{}\n", fl.name, fl.message, e.cites(fl.citations));
      for (const auto& c : trace.children)
        if (c->function == fl.function) flags += explain_node(m, *c, lang, 2, record);
    }
  }
  return head + e.take() + flags;
}

}  // namespace doudi
