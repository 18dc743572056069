// Renders a decision and its trace as text a caseworker can read: outcome
// first, then for each value the definition or exception that produced it,
// the values and parameters it read, roundings, citations and 解释 notes.
#pragma once
#include <string>

#include "runtime/diag/diagnostic.h"
#include "runtime/ir/ir.h"
#include "runtime/interp/interpreter.h"
#include "runtime/interp/trace.h"

namespace doudi {

// `record` (optional) names members in per-member steps: 计入收入(成员#2).
// `shown` (optional, parallel to Module::outputs) limits the outcome and the
// reasons to those outputs.
std::string explain_decision(const ir::Module& m, const Decision& d, const TraceNode& trace, Lang lang,
                             const RecordData* record = nullptr, const std::vector<bool>* shown = nullptr);

// One function's trace subtree (a test failure shows the failing output's).
std::string explain_node(const ir::Module& m, const TraceNode& node, Lang lang, int indent,
                         const RecordData* record = nullptr);

}  // namespace doudi
