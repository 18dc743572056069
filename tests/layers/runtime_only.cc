// Decides a household from a rule bundle with the runtime library alone: the
// build links this program to doudi_runtime only, and a test checks that the
// binary needs neither libantlr4-runtime nor libz3.
// Usage: runtime_only BUNDLE HOUSEHOLD.json JURISDICTION YYYY-MM
#include <iostream>

#include "doudi/audit.h"
#include "doudi/engine.h"
#include "runtime/source/read_file.h"

int main(int argc, char** argv) {
  using namespace doudi;
  if (argc != 5) {
    std::cerr << "usage: runtime_only BUNDLE HOUSEHOLD.json JURISDICTION YYYY-MM\n";
    return 2;
  }
  std::vector<Diagnostic> errors;
  std::string bundle, household;
  if (!read_source_file(argv[1], bundle)) errors.push_back(unreadable_file(argv[1]));
  if (!read_source_file(argv[2], household)) errors.push_back(unreadable_file(argv[2]));
  std::shared_ptr<const RuleSet> rules;
  std::optional<DecisionContext> context;
  if (errors.empty()) rules = RuleSet::from_bundle(bundle, argv[1], errors);
  if (rules) context = rules->context(argv[3], argv[4], errors);
  if (!context) {
    for (const auto& e : errors) std::cerr << render(e, SourceManager{}, RenderOptions{Lang::En});
    return 1;
  }
  const LoadedRecord record = load_household(*rules, household);
  if (!record.ok()) {
    std::cerr << render_record_problems(record.problems, argv[2], household, RenderOptions{Lang::En});
    return 1;
  }
  auto engine = make_interpreter(rules);
  engine->set_context(*context);
  const Decision d = engine->decide(record.data);
  std::cout << decision_json(rules->module(), context->jurisdiction_name, context->month, d, Lang::Zh) << "\n";
  return d.error ? 3 : 0;
}
