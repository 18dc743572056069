// doudi explain: a logged decision, re-evaluated with its own rules, told as
// text (Chinese by default), JSON (the trace tree) or a printable HTML page.
#include <fmt/format.h>

#include "runtime/bundle/json_text.h"
#include "runtime/explain/explain_formats.h"
#include "runtime/explain/summary.h"
#include "runtime/log/decision_log.h"
#include "tools/cli/explanation.h"
#include "tools/cli/logged_decision.h"
#include "tools/cli/module_source.h"
#include "tools/cli/compile_side.h"

namespace doudi::cli {

int cmd_explain(const Common& c, const ExplainArgs& a) {
  const auto logged = redecide_logged(c, a.log, a.id, a.bundle, a.import_roots, a.public_key, a.trusted_keys);
  if (!logged) return 1;
  const LogEntry* entry = &logged->entry;
  const auto& rules = logged->rules;
  const ir::Module& m = rules->module();
  const auto& record = logged->record;
  const auto selected = select_outputs(c, m, a.outputs);
  if (!selected) return 1;
  const Decision& d = logged->decision;
  const TraceRecorder& trace = *logged->trace;
  if (a.format != "text" && (!a.why_not.empty() || !a.thresholds.empty())) {
    report_plain(c, DiagCode::E0020, {a.why_not.empty() ? "--thresholds" : "--why-not",
                                      bilingual("文字格式（--format text）", "the text format (--format text)")});
    return 2;
  }
  // --why-not and --thresholds: the solver reads the rules' source, which
  // must compile to the very bundle the decision was made with.
  std::shared_ptr<const Compilation> compilation;
  RunArgs ask_args;
  ask_args.module = a.rules.empty() ? a.bundle : a.rules;
  ask_args.why_not = a.why_not;
  ask_args.thresholds = a.thresholds;
  if (!a.rules.empty() && (!a.why_not.empty() || !a.thresholds.empty())) {
    const auto source = rules_or_report(c, a.rules, a.import_roots, &compilation);
    if (!source) return 1;
    if (source->digest() != entry->bundle) {
      report_plain(c, DiagCode::E4001,
                   {a.rules, bilingual("该源文件编译出的规则包与作出决定的规则包不同（摘要不同）",
                                       "this source does not compile to the bundle the decision was made with (digest differs)")});
      return 1;
    }
  }
  // The solver's questions: the compile side, loaded only for them.
  const CompileSide* solver = nullptr;
  if ((!a.why_not.empty() || !a.thresholds.empty()) && !(solver = solver_for(c, ask_args, compilation))) return 1;
  std::optional<WhyNotAsk> why_not;
  if (!a.why_not.empty() && !(why_not = solver->ask_why_not(c, ask_args, compilation, m))) return 1;
  std::optional<ThresholdsAnswer> edges;
  if (!a.thresholds.empty() &&
      !(edges = solver->ask_thresholds(c, ask_args, compilation, rules, logged->context, record)))
    return 1;
  auto answer = [&]() {
    if (why_not)
      if (int rc = solver->answer_why_not(c, *why_not, compilation, rules, logged->context, record, d)) return rc;
    if (edges)
      if (int rc = solver->answer_thresholds(c, *edges, *rules, d)) return rc;
    return 0;
  };

  warn_changes(c, *logged);
  const int changed = logged->changes.empty() ? 0 : 1;  // exit 1: the log does not hold what these rules give
  const SummaryResult summary = explain_summary(m, d, trace.root(), c.lang, &record.data);
  // Rules bundled before explanation trees have no summary: no roles to give.
  const bool has_trees = m.has_explanation_trees();
  if (a.format == "json") {
    *c.out << "{\"id\":" << json_quote(entry->id) << ",\"module\":" << json_quote(m.name)
           << ",\"bundle\":" << json_quote(rules->digest()) << ",\"trace\":"
           << explain_json(m, trace.root(), has_trees ? &summary.deciding : nullptr)
           << "}\n";
    return changed;
  }
  const std::string head = fmt::format("{}｜{}｜{}｜{}", entry->id, m.name, entry->jurisdiction, entry->month);
  const std::string text =
      explanation_text(c, m, d, trace.root(), record.data, *selected, !a.outputs.empty(), a.detail);
  if (a.format == "html")
    *c.out << explain_html(head, c.pick("规则包 ", "rule bundle ") + rules->digest(), text, c.lang);
  else
    *c.out << head << "\n" << text;
  if (int rc = answer()) return rc;
  return changed;
}

}  // namespace doudi::cli
