// doudi explain: a logged decision, re-evaluated with its own rules, told as
// text (Chinese by default), JSON (the trace tree) or a printable HTML page.
#include <fmt/format.h>

#include <algorithm>

#include "runtime/bundle/json_text.h"
#include "runtime/explain/explain_formats.h"
#include "runtime/explain/summary.h"
#include "runtime/log/decision_log.h"
#include "tools/cli/explanation.h"
#include "tools/cli/logged_decision.h"
#include "tools/cli/module_source.h"

namespace doudi::cli {

int cmd_explain(const Common& c, const ExplainArgs& a) {
  const auto logged = redecide_logged(c, a.log, a.id, a.bundle);
  if (!logged) return 1;
  const LogEntry* entry = &logged->entry;
  const auto& rules = logged->rules;
  const ir::Module& m = rules->module();
  const auto& record = logged->record;
  const auto selected = select_outputs(c, m, a.outputs);
  if (!selected) return 1;
  const Decision& d = logged->decision;
  const TraceRecorder& trace = *logged->trace;
  const SummaryResult summary = explain_summary(m, d, trace.root(), c.lang, &record.data);
  // Rules bundled before explanation trees have no summary: no roles to give.
  const bool has_trees =
      std::any_of(m.functions.begin(), m.functions.end(), [](const ir::Function& f) { return !f.tree.empty(); });
  if (a.format == "json") {
    *c.out << "{\"id\":" << json_quote(entry->id) << ",\"module\":" << json_quote(m.name)
           << ",\"bundle\":" << json_quote(rules->digest()) << ",\"trace\":"
           << explain_json(m, trace.root(), has_trees ? &summary.deciding : nullptr)
           << "}\n";
    return 0;
  }
  const std::string head = fmt::format("{}｜{}｜{}｜{}", entry->id, m.name, entry->jurisdiction, entry->month);
  const std::string text =
      explanation_text(c, m, d, trace.root(), record.data, *selected, !a.outputs.empty(), a.detail);
  if (a.format == "html")
    *c.out << explain_html(head, c.pick("规则包 ", "rule bundle ") + rules->digest(), text, c.lang);
  else
    *c.out << head << "\n" << text;
  return 0;
}

}  // namespace doudi::cli
