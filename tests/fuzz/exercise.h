// What the fuzz targets do with rules and a household once they have them:
// decide in a context with a trace, and render everything a user could ask
// for (the decision as JSON, the summary and full explanations in both
// languages, the JSON trace, the log entry).
#pragma once
#include "doudi/engine.h"

namespace doudi::fuzz {

// The Huining deployment (examples/huining) compiled once, and its context
// for 会宁县, 2022-06: the rules the record targets decide with.
struct Deployment {
  std::shared_ptr<const RuleSet> rules;
  DecisionContext context;
};
const Deployment& huining_deployment();

void decide_and_explain(const std::shared_ptr<const RuleSet>& rules, const DecisionContext& context,
                        const RecordData& household);

}  // namespace doudi::fuzz
