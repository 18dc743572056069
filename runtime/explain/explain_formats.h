// A decision's explanation as data (the trace tree as JSON, for programs)
// and as a printable HTML page; the text form is explain.h.
#pragma once
#include <string>

#include "runtime/diag/diagnostic.h"
#include "runtime/interp/trace.h"
#include "runtime/ir/ir.h"

namespace doudi {

// [{"function", "value", "citations", "notes", "parameters", "roundings",
// "children"}, ...]: one object per call the decision made, nested.
std::string explain_json(const ir::Module& m, const TraceNode& root);

// A standalone HTML page with `title` as heading, `meta` under it, and the
// explanation text (indentation kept).
std::string explain_html(const std::string& title, const std::string& meta, const std::string& text, Lang lang);

}  // namespace doudi
