// Cliff edges, answered: the solver's edges of one amount of a household
// (thresholds.h), each kept only when deciding both sides with the
// interpreter shows an eligibility, count or choice changing there. What
// `doudi run --thresholds` prints and the service's /v1/thresholds returns.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "compiler/analysis/thresholds.h"
#include "doudi/engine.h"

namespace doudi {

struct OutputChange {
  size_t output = 0;  // index into Module::outputs
  Value below, at;    // the output's value on each side of the edge
};

struct ConfirmedEdge {
  int64_t at = 0;  // the field's value from which the outcome differs (below is at − 1)
  std::vector<OutputChange> changes;  // every output that differs, amounts included
};

struct ThresholdsAnswer {
  ThresholdReport report;  // report.edges: what the solver found
  std::vector<ConfirmedEdge> edges;
  int unconfirmed = 0;  // solver edges that deciding both sides did not bear out
};

// The outputs whose change makes an edge: those that are not amounts
// (amounts move with every fen and are shown beside them).
std::vector<uint32_t> threshold_watched_functions(const ir::Module& m);

// `field` as written (成员#1.工资性收入). When the field is not an amount or
// whole number of the household, report.ok is false and report.fields lists
// those that are.
ThresholdsAnswer thresholds_confirmed(const Program& program, const std::shared_ptr<const RuleSet>& rules,
                                      const DecisionContext& context, const RecordData& household,
                                      const std::string& field);

}  // namespace doudi
