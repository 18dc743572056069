#include "tools/cli/logged_decision.h"

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

std::optional<LoggedDecision> redecide_logged(const Common& c, const std::string& log, const std::string& id,
                                              const std::string& bundle,
                                              const std::vector<std::string>& import_roots) {
  std::vector<LogEntry> entries;
  std::string error;
  if (!read_log(log, entries, error)) {
    report_plain(c, DiagCode::E4003, {log, error});
    return std::nullopt;
  }
  const LogEntry* entry = find_entry(c, log, entries, id);
  if (!entry) return std::nullopt;
  LoggedDecision out;
  out.entry = *entry;
  out.rules = rules_or_report(c, bundle, import_roots);
  if (!out.rules) return std::nullopt;
  if (out.rules->digest() != entry->bundle) {
    report_plain(c, DiagCode::E4001,
                 {bundle, bilingual("这不是作出该决定的规则包（摘要不同）", "these are not the rules the decision was made with (digest differs)")});
    return std::nullopt;
  }
  out.record = load_household(*out.rules, entry->input_json);
  std::vector<Diagnostic> ignored;
  const auto context = out.rules->context(entry->jurisdiction, entry->month, ignored);
  if (!out.record.ok() || !context) {
    report_plain(c, DiagCode::E4003, {log, bilingual("记录无法重新载入", "the logged record cannot be reloaded")});
    return std::nullopt;
  }
  out.context = *context;
  auto engine = make_interpreter(out.rules);
  engine->set_context(out.context);
  out.trace = std::make_unique<TraceRecorder>();
  out.decision = engine->decide(out.record.data, out.trace.get());
  return out;
}

}  // namespace doudi::cli
