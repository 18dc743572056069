#include "tools/cli/why_not_answer.h"

#include <fmt/format.h>

#include <algorithm>

#include "doudi/analysis.h"
#include "tools/cli/explanation.h"

namespace doudi::cli {

std::optional<WhyNotAsk> ask_why_not(const Common& c, const RunArgs& a,
                                     const std::shared_ptr<const Compilation>& compilation, const ir::Module& m) {
  const bool zh = c.lang == Lang::Zh;
  if (!compilation || !compilation->program) return std::nullopt;  // solver_for reported E3005
  const size_t eq = a.why_not.find('=');
  WhyNotAsk ask;
  ask.name = a.why_not.substr(0, eq);
  const auto selected = select_outputs(c, m, {ask.name});
  if (!selected) return std::nullopt;
  ask.output = static_cast<size_t>(std::find(selected->begin(), selected->end(), true) - selected->begin());
  if (eq != std::string::npos) {
    std::string forms;
    const std::string text = a.why_not.substr(eq + 1);
    const TypeId type = m.functions[m.outputs[ask.output].function].result;
    ask.want = read_wanted_value(m, type, text, forms);
    if (!ask.want) {
      report_all(c, {Diagnostic{DiagCode::E3006, Span{}, {text, ask.name, m.type_name(type, zh), forms}, {}}});
      return std::nullopt;
    }
  }
  return ask;
}

int answer_why_not(const Common& c, const WhyNotAsk& ask, const std::shared_ptr<const Compilation>& compilation,
                   const std::shared_ptr<const RuleSet>& rules, const DecisionContext& context,
                   const LoadedRecord& record, const Decision& d) {
  const ir::Module& m = rules->module();
  const bool zh = c.lang == Lang::Zh;
  const size_t o = ask.output;
  const std::string& name = ask.name;
  const std::optional<Value>& want = ask.want;
  const TypeId type = m.functions[m.outputs[o].function].result;
  if (d.error) {
    report_all(c, {Diagnostic{DiagCode::E3007, Span{}, {"--why-not"}, {}}});
    return 3;
  }
  const WhyNotAnswer answer = why_not_confirmed(*compilation->program, rules, context, record.data, d, o, want, zh);
  const WhyNotReport& r = answer.report;
  const std::string now = m.format_value(answer.now, type, zh);
  const std::string goal = want ? fmt::format("{} = {}", name, m.format_value(*want, type, zh))
                                : (zh ? fmt::format("{} 不为 {}", name, now) : fmt::format("{} other than {}", name, now));
  *c.out << "\n";
  switch (r.outcome) {
    case WhyNotReport::Outcome::AlreadySo:
      *c.out << (zh ? fmt::format("{} 已经是 {}，无需改动\n", name, now)
                    : fmt::format("{} is {} already: nothing to change\n", name, now));
      return 0;
    case WhyNotReport::Outcome::Impossible:
      *c.out << (zh ? fmt::format("对家庭记录的任何改动都不能使 {}（求解器的证明：规则、辖区 {}、月份不变，成员不增减）\n", goal,
                                  context.jurisdiction_name)
                    : fmt::format("no change to the household record gives {} (a proof by the solver: same rules, "
                                  "jurisdiction {} and month, same members)\n",
                                  goal, context.jurisdiction_name));
      return 0;
    case WhyNotReport::Outcome::Unknown: {
      const std::string why = in_lang(r.reason, c.lang);
      *c.out << (zh ? fmt::format("无法回答 --why-not：{}\n", why) : fmt::format("cannot answer --why-not: {}\n", why));
      return 0;
    }
    case WhyNotReport::Outcome::Found: break;
  }
  *c.out << (zh ? fmt::format("要使 {}（现为 {}），最小的改动：\n", goal, now)
                : fmt::format("for {} (now {}), the smallest change:\n", goal, now));
  for (const auto& ch : r.changes)
    *c.out << fmt::format("  {}{}{} → {}{}\n", ch.field, zh ? "：" : ": ", ch.from, ch.to,
                          ch.by.empty() ? "" : (zh ? "（" + ch.by + "）" : " (" + ch.by + ")"));
  const bool amounts = std::any_of(r.changes.begin(), r.changes.end(), [](const WhyNotChange& ch) { return !ch.by.empty(); });
  const char* how = !amounts ? ""
                    : r.smallest ? (zh ? "；在这些字段上，更小的改动都不行" : "; on these fields, no smaller change does it")
                                 : (zh ? "；金额未证明为最小" : "; the amounts are not proven the smallest");
  *c.out << (zh ? fmt::format("已按改动后的家庭重新计算确认：{} = {}{}\n", name,
                              m.format_value(answer.after, type, zh), how)
                : fmt::format("confirmed by deciding the changed household: {} = {}{}\n", name,
                              m.format_value(answer.after, type, zh), how));
  return 0;
}

}  // namespace doudi::cli
