// A decision's explanation as data (the trace tree as JSON, for programs)
// and as a printable HTML page; the text form is explain.h.
#pragma once
#include <set>
#include <string>

#include "runtime/diag/diagnostic.h"
#include "runtime/interp/trace.h"
#include "runtime/ir/ir.h"

namespace doudi {

// [{"function", "value", "role", "citations", "notes", "parameters",
// "roundings", "children"}, ...]: one object per call the decision made,
// nested. With `deciding` (the summary's calls: SummaryResult::deciding),
// each call's "role" is "deciding" (the summary gives it as a reason) or
// "supporting" (only the full detail shows it).
std::string explain_json(const ir::Module& m, const TraceNode& root,
                         const std::set<const TraceNode*>* deciding = nullptr);

// Text safe inside HTML elements and attribute values.
std::string html_escape(const std::string& s);

// A standalone HTML page with `title` as heading, `meta` under it, and the
// explanation text as sections (its unindented lines) of nested lists (its
// indentation), review flags highlighted, clause citations set apart.
std::string explain_html(const std::string& title, const std::string& meta, const std::string& text, Lang lang);

}  // namespace doudi
