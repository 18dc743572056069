// doudi explain: a logged decision, re-evaluated with its own rules, told as
// text (Chinese by default), JSON (the trace tree) or a printable HTML page.
#include <fmt/format.h>

#include "runtime/bundle/json_text.h"
#include "runtime/explain/explain_formats.h"
#include "runtime/explain/summary.h"
#include "runtime/log/decision_log.h"
#include "tools/cli/explanation.h"
#include "tools/cli/module_source.h"

namespace doudi::cli {
namespace {

// The logged entry with id `id`; reports and returns null when there is none
// or it is a rejected record.
const LogEntry* find_entry(const Common& c, const std::string& log, const std::vector<LogEntry>& entries,
                           const std::string& id) {
  const LogEntry* entry = nullptr;
  for (const auto& e : entries)
    if (e.id == id) entry = &e;
  if (entry != nullptr && !entry->rejected) return entry;
  report_plain(c, DiagCode::E4003,
               {log, entry ? bilingual("该记录被拒收，没有可解释的决定", "that record was rejected: there is no decision to explain")
                           : bilingual("没有这个决定编号：" + id, "no decision with id " + id)});
  return nullptr;
}

}  // namespace

int cmd_explain(const Common& c, const ExplainArgs& a) {
  std::vector<LogEntry> entries;
  std::string error;
  if (!read_log(a.log, entries, error)) {
    report_plain(c, DiagCode::E4003, {a.log, error});
    return 1;
  }
  const LogEntry* entry = find_entry(c, a.log, entries, a.id);
  if (!entry) return 1;
  auto rules = rules_or_report(c, a.bundle);
  if (!rules) return 1;
  if (rules->digest() != entry->bundle) {
    report_plain(c, DiagCode::E4001,
                 {a.bundle, bilingual("这不是作出该决定的规则包（摘要不同）", "these are not the rules the decision was made with (digest differs)")});
    return 1;
  }
  const ir::Module& m = rules->module();
  auto record = load_household(*rules, entry->input_json);
  std::vector<Diagnostic> ignored;
  const auto context = rules->context(entry->jurisdiction, entry->month, ignored);
  if (!record.ok() || !context) {
    report_plain(c, DiagCode::E4003, {a.log, bilingual("记录无法重新载入", "the logged record cannot be reloaded")});
    return 1;
  }
  const auto selected = select_outputs(c, m, a.outputs);
  if (!selected) return 1;
  auto engine = make_interpreter(rules);
  engine->set_context(*context);
  TraceRecorder trace;
  const Decision d = engine->decide(record.data, &trace);
  const SummaryResult summary = explain_summary(m, d, trace.root(), c.lang, &record.data);
  if (a.format == "json") {
    *c.out << "{\"id\":" << json_quote(entry->id) << ",\"module\":" << json_quote(m.name)
           << ",\"bundle\":" << json_quote(rules->digest()) << ",\"trace\":" << explain_json(m, trace.root(), &summary.deciding)
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
