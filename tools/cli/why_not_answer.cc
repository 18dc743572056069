#include "tools/cli/why_not_answer.h"

#include <fmt/format.h>

#include <algorithm>

#include "doudi/analysis.h"
#include "runtime/value/money.h"
#include "tools/cli/explanation.h"

namespace doudi::cli {
namespace {

// The wanted value written on the command line, read by the output's type.
std::optional<Value> wanted(const ir::Module& m, TypeId t, const std::string& text, std::string& forms) {
  const TypeId bare = m.types.unwrap(t);
  switch (m.types.kind(bare)) {
    case TypeKind::Bool:
      forms = "真 / 假 (true / false)";
      if (text == "真" || text == "true") return Value::of_bool(true);
      if (text == "假" || text == "false") return Value::of_bool(false);
      return std::nullopt;
    case TypeKind::Money: {
      forms = "828 / 828.50";
      const std::string unit = m.type_name(bare, true), unit_en = m.type_name(bare, false);
      std::string number = text;
      for (const auto& u : {unit, unit_en})
        if (number.size() > u.size() && number.compare(number.size() - u.size(), u.size(), u) == 0)
          number = number.substr(0, number.size() - u.size());
      while (!number.empty() && number.back() == ' ') number.pop_back();
      const auto parsed = parse_money_yuan(number);
      if (!parsed.fen) return std::nullopt;
      return Value::of(*parsed.fen);
    }
    case TypeKind::Int: {
      forms = "0, 1, 2 …";
      if (text.empty() || text.size() > 15 || text.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
      return Value::of(std::stoll(text));
    }
    case TypeKind::Enum: {
      const auto& values = m.enums[m.types.get(bare).ref].values;
      for (size_t i = 0; i < values.size(); ++i) {
        forms += (i ? " / " : "") + values[i];
        if (values[i] == text) return Value::of(static_cast<int64_t>(i));
      }
      return std::nullopt;
    }
    default:
      forms = "—";
      return std::nullopt;
  }
}

}  // namespace

std::optional<WhyNotAsk> ask_why_not(const Common& c, const RunArgs& a,
                                     const std::shared_ptr<const Compilation>& compilation, const ir::Module& m) {
  const bool zh = c.lang == Lang::Zh;
  if (!compilation || !compilation->program) {
    report_all(c, {Diagnostic{DiagCode::E3005, Span{}, {a.module, "--why-not"}, {}}});
    return std::nullopt;
  }
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
    ask.want = wanted(m, type, text, forms);
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
  const uint32_t function = m.outputs[o].function;
  const TypeId type = m.functions[function].result;
  if (d.error) {
    report_all(c, {Diagnostic{DiagCode::E3007, Span{}, {"--why-not"}, {}}});
    return 3;
  }
  const Value current = d.outputs[o];
  const std::string now = m.format_value(current, type, zh);
  const std::string goal = want ? fmt::format("{} = {}", name, m.format_value(*want, type, zh))
                                : (zh ? fmt::format("{} 不为 {}", name, now) : fmt::format("{} other than {}", name, now));
  // The solver's candidates are decided again; only a confirmed one is said.
  auto engine = make_interpreter(rules);
  engine->set_context(context);
  auto decide_changed = [&](const std::vector<WhyNotChange>& changes) {
    RecordData changed = record.data.sharing_texts();
    for (const auto& ch : changes)
      if (ch.slot < changed.slots.size()) changed.slots[ch.slot] = ch.value;
    return engine->decide(changed);
  };
  auto confirm = [&](const std::vector<WhyNotChange>& changes) {
    const Decision again = decide_changed(changes);
    return !again.error && (want ? again.outputs[o] == *want : !(again.outputs[o] == current));
  };
  const WhyNotReport r = why_not(*compilation->program, m, function, want, current, context.jurisdiction,
                                 context.month, record.data, zh, confirm);
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
  const Decision again = decide_changed(r.changes);
  const bool amounts = std::any_of(r.changes.begin(), r.changes.end(), [](const WhyNotChange& ch) { return !ch.by.empty(); });
  const char* how = !amounts ? ""
                    : r.smallest ? (zh ? "；在这些字段上，更小的改动都不行" : "; on these fields, no smaller change does it")
                                 : (zh ? "；金额未证明为最小" : "; the amounts are not proven the smallest");
  *c.out << (zh ? fmt::format("已按改动后的家庭重新计算确认：{} = {}{}\n", name,
                              m.format_value(again.outputs[o], type, zh), how)
                : fmt::format("confirmed by deciding the changed household: {} = {}{}\n", name,
                              m.format_value(again.outputs[o], type, zh), how));
  return 0;
}

}  // namespace doudi::cli
