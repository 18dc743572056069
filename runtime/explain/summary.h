// The summary explanation a caseworker reads aloud: the conclusion first,
// review flags beside the outputs they concern, outputs left at their
// default folded into one line; then, per output, the minimal sufficient
// reason, read from each function's explanation tree (ir/expr_tree.h) with
// the registers the trace kept: the conjunct that failed, the disjunct that
// held, amounts written out as arithmetic with the values put in and the
// rounding named, every parameter with where and when it was set, every
// clause cited. A reason used twice is given once.
#pragma once
#include <set>
#include <string>
#include <vector>

#include "runtime/diag/diagnostic.h"
#include "runtime/interp/interpreter.h"
#include "runtime/interp/trace.h"
#include "runtime/ir/ir.h"

namespace doudi {

struct SummaryResult {
  std::string text;
  // The calls the summary gave as reasons: a client rendering the JSON tree
  // marks them as deciding.
  std::set<const TraceNode*> deciding;
};

// `asked` (optional, parallel to Module::outputs): the outputs asked for
// with --output; only those are shown, none folded.
SummaryResult explain_summary(const ir::Module& m, const Decision& d, const TraceNode& trace, Lang lang,
                              const RecordData* record = nullptr, const std::vector<bool>* asked = nullptr);

// Outputs each review flag concerns: those whose rules read a definition or
// rule the flag's condition reads (by the call graph). Parallel to Module::flags.
std::vector<std::vector<uint32_t>> outputs_of_flags(const ir::Module& m);

}  // namespace doudi
