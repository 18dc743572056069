#include "tools/cli/explanation.h"

#include "runtime/explain/summary.h"
#include "runtime/source/utf8.h"

namespace doudi::cli {

std::optional<std::vector<bool>> select_outputs(const Common& c, const ir::Module& m,
                                                const std::vector<std::string>& names) {
  std::vector<bool> shown(m.outputs.size(), names.empty());
  for (const auto& name : names) {
    std::vector<Diagnostic> errors;
    const auto i = output_named(m, name, errors);
    if (!i) {
      report_all(c, errors);
      return std::nullopt;
    }
    shown[*i] = true;
  }
  return shown;
}

std::string explanation_text(const Common& c, const ir::Module& m, const Decision& d, const TraceNode& trace,
                             const RecordData& record, const std::vector<bool>& selected, bool any_named,
                             const std::string& detail) {
  // Citations, names and record texts reach the terminal: no raw escapes.
  if (detail == "full") return visible_controls(explain_decision(m, d, trace, c.lang, &record, &selected), true);
  return visible_controls(explain_summary(m, d, trace, c.lang, &record, any_named ? &selected : nullptr).text, true);
}

}  // namespace doudi::cli
