#include "tests/fuzz/exercise.h"

#include "runtime/explain/explain.h"
#include "runtime/explain/explain_formats.h"
#include "runtime/explain/summary.h"
#include "runtime/log/log_entry.h"

namespace doudi::fuzz {

void decide_and_explain(const std::shared_ptr<const RuleSet>& rules, const DecisionContext& context,
                        const RecordData& household) {
  auto engine = make_interpreter(rules);
  engine->set_context(context);
  TraceRecorder trace;
  const Decision d = engine->decide(household, &trace);
  const ir::Module& m = rules->module();
  for (Lang lang : {Lang::Zh, Lang::En}) {
    (void)decision_json(m, context.jurisdiction_name, context.month, d, lang);
    (void)explain_summary(m, d, trace.root(), lang, &household);
    (void)explain_decision(m, d, trace.root(), lang, &household);
  }
  (void)explain_json(m, trace.root());
  (void)decided_entry(m, household, d, LogKey(std::string(32, 'k')));
}

}  // namespace doudi::fuzz
