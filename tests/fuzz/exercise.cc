#include "tests/fuzz/exercise.h"

#include <cstdlib>

#include "doudi/compiler.h"
#include "runtime/explain/explain.h"
#include "runtime/explain/explain_formats.h"
#include "runtime/explain/summary.h"
#include "runtime/log/log_entry.h"

namespace doudi::fuzz {

const Deployment& huining_deployment() {
  static const Deployment d = [] {
    CompileOptions options;
    options.import_roots = {DOUDI_SOURCE_DIR "/stdlib-policies"};
    LoadedRules loaded = load_rules(DOUDI_SOURCE_DIR "/examples/huining/deployment.doudi", options);
    std::vector<Diagnostic> errors;
    if (!loaded.rules) std::abort();
    auto context = loaded.rules->context("会宁县", "2022-06", errors);
    if (!context) std::abort();
    return Deployment{loaded.rules, *context};
  }();
  return d;
}

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
