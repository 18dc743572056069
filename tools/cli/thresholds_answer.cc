#include "tools/cli/thresholds_answer.h"

#include <fmt/format.h>

#include "doudi/analysis.h"

namespace doudi::cli {

std::optional<ThresholdReport> ask_thresholds(const Common& c, const RunArgs& a,
                                              const std::shared_ptr<const Compilation>& compilation,
                                              const RuleSet& rules, const DecisionContext& context,
                                              const LoadedRecord& record) {
  const ir::Module& m = rules.module();
  if (!compilation || !compilation->program) {
    report_all(c, {Diagnostic{DiagCode::E3005, Span{}, {a.module, "--thresholds"}, {}}});
    return std::nullopt;
  }
  // An edge is where an eligibility, a count or a choice changes; amounts
  // move with every fen and are shown beside them.
  std::vector<uint32_t> watched;
  for (const auto& o : m.outputs)
    if (m.types.kind(m.types.unwrap(m.functions[o.function].result)) != TypeKind::Money) watched.push_back(o.function);
  ThresholdReport r =
      thresholds(*compilation->program, a.thresholds, watched, context.jurisdiction, context.month, record.data);
  if (!r.ok && !r.fields.empty()) {
    Diagnostic diag{DiagCode::E3008, Span{}, {a.thresholds}, {}};
    // A field that starts as written (成员#1.工资 → 成员#1.工资性收入) before the nearest by spelling.
    std::string hint;
    for (const auto& f : r.fields)
      if (hint.empty() && f.rfind(a.thresholds, 0) == 0) hint = f;
    if (hint.empty()) hint = closest_name(a.thresholds, r.fields);
    if (const auto& s = hint; !s.empty())
      diag.notes.push_back(make_note(DiagCode::N0402, Span{}, {s}));
    report_all(c, {diag});
    return std::nullopt;
  }
  return r;
}

int answer_thresholds(const Common& c, const ThresholdReport& r, const std::shared_ptr<const RuleSet>& rules,
                      const DecisionContext& context, const LoadedRecord& record, const Decision& d) {
  const ir::Module& m = rules->module();
  const bool zh = c.lang == Lang::Zh;
  if (d.error) {
    report_all(c, {Diagnostic{DiagCode::E3007, Span{}, {"--thresholds"}, {}}});
    return 3;
  }
  *c.out << "\n";
  if (!r.ok) {
    const std::string why = in_lang(r.reason, c.lang);
    *c.out << (zh ? fmt::format("无法回答 --thresholds：{}\n", why) : fmt::format("cannot answer --thresholds: {}\n", why));
    return 0;
  }
  auto engine = make_interpreter(rules);
  engine->set_context(context);
  auto decide_at = [&](int64_t v) {
    RecordData changed = record.data.sharing_texts();
    if (r.slot < changed.slots.size()) changed.slots[r.slot] = Value::of(v);
    return engine->decide(changed);
  };
  auto shown = [&](int64_t v) { return m.format_value(Value::of(v), m.types.unwrap(r.type), zh); };
  *c.out << (zh ? fmt::format("{}（现为 {}）：其余不变时，结果在这些取值处改变：\n", r.field,
                              m.format_value(r.original, r.type, zh))
                : fmt::format("{} (now {}): with the rest unchanged, the outcome changes at:\n", r.field,
                              m.format_value(r.original, r.type, zh)));
  int said = 0, unconfirmed = 0;
  for (int64_t e : r.edges) {
    // Confirmed by deciding both sides with the interpreter.
    const Decision below = decide_at(e - 1), above = decide_at(e);
    if (below.error || above.error) {
      ++unconfirmed;
      continue;
    }
    std::vector<std::string> changes;
    bool watched_changed = false;
    for (size_t o = 0; o < m.outputs.size(); ++o) {
      if (below.outputs[o] == above.outputs[o]) continue;
      const TypeId t = m.functions[m.outputs[o].function].result;
      watched_changed = watched_changed || m.types.kind(m.types.unwrap(t)) != TypeKind::Money;
      changes.push_back(fmt::format("{} {} → {}", m.outputs[o].name, m.format_value(below.outputs[o], t, zh),
                                    m.format_value(above.outputs[o], t, zh)));
    }
    if (!watched_changed) {
      ++unconfirmed;
      continue;
    }
    std::string joined;
    for (size_t i = 0; i < changes.size(); ++i) joined += (i ? (zh ? "；" : "; ") : "") + changes[i];
    *c.out << fmt::format("  {} → {}{}{}\n", shown(e - 1), shown(e), zh ? "：" : ": ", joined);
    ++said;
  }
  if (said == 0) *c.out << (zh ? "  （没有：该字段的任何取值都不改变资格、人数或选项）\n"
                               : "  (none: no value of this field changes an eligibility, count or choice)\n");
  if (r.ok && !r.reason.empty()) *c.out << (zh ? "  （" : "  (") << in_lang(r.reason, c.lang) << (zh ? "）\n" : ")\n");
  if (r.more_below || r.more_above)
    *c.out << (zh ? "  （还有更远的临界值未列出）\n" : "  (there are more edges further away)\n");
  if (unconfirmed)
    *c.out << (zh ? fmt::format("  （{} 处求解器给出的临界值经重新计算未能确认，未列出）\n", unconfirmed)
                  : fmt::format("  ({} edges the solver found were not confirmed by deciding again and are left out)\n",
                                unconfirmed));
  return 0;
}

}  // namespace doudi::cli
