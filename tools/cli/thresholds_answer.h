// run --thresholds FIELD: the cliff edges of one amount of the household,
// from the solver, each confirmed by deciding both sides.
#pragma once
#include <memory>
#include <optional>

#include "doudi/compiler.h"
#include "doudi/analysis.h"
#include "doudi/engine.h"
#include "tools/cli/commands.h"

namespace doudi::cli {

// Finds and confirms the edges before the decision is printed (they do not
// depend on it); returns none when the rules are a bundle (solver_for reports E3005) or reports it when the
// field is not an amount or whole number of the household (E3008).
std::optional<ThresholdsAnswer> ask_thresholds(const Common& c, const RunArgs& a,
                                               const std::shared_ptr<const Compilation>& compilation,
                                               const std::shared_ptr<const RuleSet>& rules,
                                               const DecisionContext& context, const LoadedRecord& record);

// Prints the confirmed edges; returns an exit code (0, or 3 when the decision is an error result: E3007).
int answer_thresholds(const Common& c, const ThresholdsAnswer& answer, const RuleSet& rules, const Decision& d);

}  // namespace doudi::cli
