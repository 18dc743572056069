#include "compiler/analysis/why_not_confirmed.h"

#include "runtime/record/record_layout.h"
#include "runtime/value/money.h"

namespace doudi {

std::optional<Value> read_wanted_value(const ir::Module& m, TypeId t, const std::string& text, std::string& forms) {
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
      if (text.empty() || text.size() > 15 || text.find_first_not_of("0123456789") != std::string::npos)
        return std::nullopt;
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

WhyNotAnswer why_not_confirmed(const Program& program, const std::shared_ptr<const RuleSet>& rules,
                               const DecisionContext& context, const RecordData& household, const Decision& decided,
                               size_t output, const std::optional<Value>& want, bool zh) {
  const ir::Module& m = rules->module();
  WhyNotAnswer a;
  a.now = decided.outputs[output];
  // The solver's candidates are decided again; only a confirmed one is said.
  auto engine = make_interpreter(rules);
  engine->set_context(context);
  auto decide_changed = [&](const std::vector<WhyNotChange>& changes) {
    RecordData changed = household.sharing_texts();
    for (const auto& ch : changes) {
      const bool wide = record::wide_slot(m.types, ch.type);
      if (ch.slot + wide < changed.words.size()) changed.write(ch.slot, wide, ch.value);
    }
    return engine->decide(changed);
  };
  auto confirm = [&](const std::vector<WhyNotChange>& changes) {
    const Decision again = decide_changed(changes);
    return !again.error && (want ? again.outputs[output] == *want : !(again.outputs[output] == a.now));
  };
  a.report = why_not(program, m, m.outputs[output].function, want, a.now, context.jurisdiction, context.month,
                     household, zh, confirm);
  if (a.report.outcome == WhyNotReport::Outcome::Found) a.after = decide_changed(a.report.changes).outputs[output];
  return a;
}

}  // namespace doudi
