#include "tools/cli/logged_decision.h"

#include "tools/cli/module_source.h"
#include "tools/cli/verified_log.h"

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
  if (entry == nullptr) {
    report_plain(c, DiagCode::E4003, {log, bilingual("没有这个决定编号：" + id, "no decision with id " + id)});
    return nullptr;
  }
  // Nothing was decided: what was wrong with the record is all there is.
  report_plain(c, DiagCode::E4011, {id, log, std::to_string(entry->index + 1), rejection_reasons(*entry)});
  return nullptr;
}

}  // namespace

std::optional<LoggedDecision> redecide_logged(const Common& c, const std::string& log, const std::string& id,
                                              const std::string& bundle,
                                              const std::vector<std::string>& import_roots,
                                              const std::string& public_key, const std::string& trusted_keys) {
  LogContents contents;
  VerifyResult verified;
  if (!read_verified_log(c, log, public_key, contents, verified)) return std::nullopt;
  const LogEntry* entry = find_entry(c, log, contents.entries, id);
  if (!entry || !covered_or_report(c, log, public_key, verified, entry->seq)) return std::nullopt;
  LoggedDecision out;
  out.entry = *entry;
  out.rules = rules_or_report(c, bundle, import_roots);
  std::string signer;
  if (!out.rules || !trusted_or_report(c, *out.rules, bundle, trusted_keys, signer)) return std::nullopt;
  if (out.rules->digest() != entry->bundle) {
    report_plain(c, DiagCode::E4001,
                 {bundle, bilingual("这不是作出该决定的规则包（摘要不同）", "these are not the rules the decision was made with (digest differs)")});
    return std::nullopt;
  }
  out.record = load_household(*out.rules, entry->input_json, entry->defaults ? *entry->defaults : std::string());
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
  out.changes = outcome_changes(out.rules->module(), out.entry, out.decision, true);  // the digest was checked above
  return out;
}

void warn_changes(const Common& c, const LoggedDecision& d) {
  if (d.changes.empty()) return;
  *c.err << c.pick("警告：用同一规则包重新计算，结果与日志所记不同（日志或引擎并非其所声称的那样）：\n",
                   "warning: decided again with the same rules, the outcome differs from the one the log records (the "
                   "log or the engine is not what it claims):\n");
  for (const auto& change : d.changes) *c.err << "  " << change.text(c.lang) << "\n";
}

}  // namespace doudi::cli
