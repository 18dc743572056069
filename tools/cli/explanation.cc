#include "tools/cli/explanation.h"

#include "runtime/explain/summary.h"
#include "runtime/source/utf8.h"

namespace doudi::cli {

std::optional<std::vector<bool>> select_outputs(const Common& c, const ir::Module& m,
                                                const std::vector<std::string>& names) {
  std::vector<bool> shown(m.outputs.size(), names.empty());
  for (const auto& name : names) {
    size_t i = 0;
    while (i < m.outputs.size() && m.outputs[i].name != name) ++i;
    if (i == m.outputs.size()) {
      std::vector<std::string> all;
      for (const auto& o : m.outputs) all.push_back(o.name);
      Diagnostic d{DiagCode::E3004, Span{}, {m.name, name}, {}};
      if (auto s = closest_name(name, all); !s.empty()) d.notes.push_back(make_note(DiagCode::N0402, Span{}, {s}));
      report_all(c, {d});
      return std::nullopt;
    }
    shown[i] = true;
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
