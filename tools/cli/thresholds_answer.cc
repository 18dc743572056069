#include "tools/cli/thresholds_answer.h"

#include <fmt/format.h>

#include "doudi/analysis.h"

namespace doudi::cli {

std::optional<ThresholdsAnswer> ask_thresholds(const Common& c, const RunArgs& a,
                                               const std::shared_ptr<const Compilation>& compilation,
                                               const std::shared_ptr<const RuleSet>& rules,
                                               const DecisionContext& context, const LoadedRecord& record) {
  if (!compilation || !compilation->program) return std::nullopt;  // solver_for reported E3005
  ThresholdsAnswer answer = thresholds_confirmed(*compilation->program, rules, context, record.data, a.thresholds);
  const ThresholdReport& r = answer.report;
  if (!r.ok && !r.fields.empty()) {
    Diagnostic diag{DiagCode::E3008, Span{}, {a.thresholds}, {}};
    if (const std::string hint = nearest_name(a.thresholds, r.fields); !hint.empty())
      diag.notes.push_back(make_note(DiagCode::N0402, Span{}, {hint}));
    report_all(c, {diag});
    return std::nullopt;
  }
  return answer;
}

int answer_thresholds(const Common& c, const ThresholdsAnswer& answer, const RuleSet& rules, const Decision& d) {
  const ir::Module& m = rules.module();
  const ThresholdReport& r = answer.report;
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
  auto shown = [&](int64_t v) { return m.format_value(Value::of(v), m.types.unwrap(r.type), zh); };
  *c.out << (zh ? fmt::format("{}（现为 {}）：其余不变时，结果在这些取值处改变：\n", r.field,
                              m.format_value(r.original, r.type, zh))
                : fmt::format("{} (now {}): with the rest unchanged, the outcome changes at:\n", r.field,
                              m.format_value(r.original, r.type, zh)));
  for (const ConfirmedEdge& e : answer.edges) {
    std::string joined;
    for (const OutputChange& ch : e.changes) {
      const TypeId t = m.functions[m.outputs[ch.output].function].result;
      joined += fmt::format("{}{} {} → {}", joined.empty() ? "" : (zh ? "；" : "; "), m.outputs[ch.output].name,
                            m.format_value(ch.below, t, zh), m.format_value(ch.at, t, zh));
    }
    *c.out << fmt::format("  {} → {}{}{}\n", shown(e.at - 1), shown(e.at), zh ? "：" : ": ", joined);
  }
  if (answer.edges.empty())
    *c.out << (zh ? "  （没有：该字段的任何取值都不改变资格、人数或选项）\n"
                  : "  (none: no value of this field changes an eligibility, count or choice)\n");
  if (!r.reason.empty()) *c.out << (zh ? "  （" : "  (") << in_lang(r.reason, c.lang) << (zh ? "）\n" : ")\n");
  if (r.more_below || r.more_above)
    *c.out << (zh ? "  （还有更远的临界值未列出）\n" : "  (there are more edges further away)\n");
  if (answer.unconfirmed)
    *c.out << (zh ? fmt::format("  （{} 处求解器给出的临界值经重新计算未能确认，未列出）\n", answer.unconfirmed)
                  : fmt::format("  ({} edges the solver found were not confirmed by deciding again and are left out)\n",
                                answer.unconfirmed));
  return 0;
}

}  // namespace doudi::cli
