// run --why-not OUTPUT[=VALUE]: the smallest changes to the household that
// give the output that value, from the solver, confirmed by deciding the
// changed household again before anything is said.
#pragma once
#include <memory>
#include <optional>
#include <string>

#include "doudi/compiler.h"
#include "doudi/engine.h"
#include "tools/cli/commands.h"

namespace doudi::cli {

struct WhyNotAsk {
  size_t output = 0;  // index into Module::outputs
  std::string name;
  std::optional<Value> want;  // none: any other value
};

// Reads --why-not before deciding: reports (and returns none) when the rules
// are a bundle (none, unreported: solver_for reports E3005 before the
// library is loaded), the output is unknown (E3004) or the value is not
// one of its type's (E3006).
std::optional<WhyNotAsk> ask_why_not(const Common& c, const RunArgs& a,
                                     const std::shared_ptr<const Compilation>& compilation, const ir::Module& m);

// Prints the answer after the decision; returns an exit code (0 answered,
// 3 the decision is an error result (E3007)).
int answer_why_not(const Common& c, const WhyNotAsk& ask, const std::shared_ptr<const Compilation>& compilation,
                   const std::shared_ptr<const RuleSet>& rules, const DecisionContext& context,
                   const LoadedRecord& record, const Decision& d);

}  // namespace doudi::cli
