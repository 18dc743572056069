#include "compiler/analysis/thresholds_confirmed.h"

#include "runtime/record/record_layout.h"

namespace doudi {

std::vector<uint32_t> threshold_watched_functions(const ir::Module& m) {
  std::vector<uint32_t> watched;
  for (const auto& o : m.outputs)
    if (m.types.kind(m.types.unwrap(m.functions[o.function].result)) != TypeKind::Money) watched.push_back(o.function);
  return watched;
}

ThresholdsAnswer thresholds_confirmed(const Program& program, const std::shared_ptr<const RuleSet>& rules,
                                      const DecisionContext& context, const RecordData& household,
                                      const std::string& field) {
  const ir::Module& m = rules->module();
  ThresholdsAnswer a;
  a.report = thresholds(program, field, threshold_watched_functions(m), context.jurisdiction, context.month, household);
  if (!a.report.ok) return a;
  auto engine = make_interpreter(rules);
  engine->set_context(context);
  auto decide_at = [&](int64_t v) {
    RecordData changed = household.sharing_texts();
    const bool wide = record::wide_slot(m.types, a.report.type);
    if (a.report.slot + wide < changed.words.size()) changed.write(a.report.slot, wide, Value::of(v));
    return engine->decide(changed);
  };
  for (int64_t e : a.report.edges) {
    // An edge the solver found is said only when both sides, decided, differ
    // in an output that is not an amount.
    const Decision below = decide_at(e - 1), at = decide_at(e);
    if (below.error || at.error) {
      ++a.unconfirmed;
      continue;
    }
    ConfirmedEdge edge{e, {}};
    bool watched_changed = false;
    for (size_t o = 0; o < m.outputs.size(); ++o) {
      if (below.outputs[o] == at.outputs[o]) continue;
      const TypeId t = m.functions[m.outputs[o].function].result;
      watched_changed = watched_changed || m.types.kind(m.types.unwrap(t)) != TypeKind::Money;
      edge.changes.push_back({o, below.outputs[o], at.outputs[o]});
    }
    if (!watched_changed) {
      ++a.unconfirmed;
      continue;
    }
    a.edges.push_back(std::move(edge));
  }
  return a;
}

}  // namespace doudi
