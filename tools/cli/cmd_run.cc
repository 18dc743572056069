// doudi run: one household, one decision, as text, JSON or an explanation.
#include <fmt/format.h>

#include "runtime/digest/digest.h"
#include "runtime/log/log_entry.h"
#include "runtime/record/record_json.h"
#include "runtime/record/mask_sensitive.h"
#include "runtime/source/read_file.h"
#include "runtime/source/utf8.h"
#include "runtime/value/calendar.h"
#include "tools/cli/engine_choice.h"
#include "tools/cli/explanation.h"
#include "runtime/explain/notice.h"
#include "tools/cli/module_source.h"
#include "tools/cli/notice_file.h"
#include "tools/cli/keys.h"
#include "tools/cli/compile_side.h"

namespace doudi::cli {
namespace {

// Appends the decision to the log named by --log; false (reported) on failure.
bool log_decision(const Common& c, const RunArgs& a, const RuleSet& rules, const std::string& signer,
                  const DecisionContext& context,
                  const LoadedRecord& record, const Decision& d, const std::optional<LogKey>& key,
                  const std::string& json, std::string& id, uint64_t& seq) {
  CheckpointSettings checkpoints;
  if (!a.signing_key.empty() && !(checkpoints.key = signing_key_or_report(c, a.signing_key))) return false;
  std::string error;
  auto log = DecisionLog::open(a.log, false, error, std::move(checkpoints));
  if (!log) {
    report_plain(c, DiagCode::E4003, {a.log, error});
    return false;
  }
  LogContext where;
  where.month = format_year_month(context.month);
  where.jurisdiction = context.jurisdiction_name;
  where.bundle = rules.digest();
  describe_schema(where, rules.module());
  where.bundle_signer = signer;
  where.key_id = key ? key->id : "";
  where.batch = batch_id(rules.digest(), where.month, where.jurisdiction, sha256_hex(json));
  LogFields f = decided_entry(rules.module(), record.data, d, key);
  f.index = 0;
  try {
    id = log->append(where, f, false);
    log->checkpoint();  // syncs, and signs the log as it now stands
    seq = log->entries();
    *c.err << c.pick("已记录决定 ", "logged decision ") << id << "\n";
  } catch (const std::exception& e) {
    report_plain(c, DiagCode::E4003, {a.log, e.what()});
    return false;
  }
  return true;
}

void print_outcome(const Common& c, const ir::Module& m, const Decision& d, const std::vector<bool>& shown) {
  const bool zh = c.lang == Lang::Zh;
  for (size_t i = 0; i < m.outputs.size(); ++i)
    if (shown[i])
      *c.out << visible_controls(fmt::format("  {} = {}\n", m.outputs[i].name,
                                             m.format_value(d.outputs[i], m.functions[m.outputs[i].function].result, zh)),
                                 true);
  if (d.flags.empty()) {
    *c.out << c.pick("无需人工审核的标记\n", "no flags for manual review\n");
    return;
  }
  *c.out << c.pick("需人工审核的标记：\n", "flags for manual review:\n");
  for (auto fi : d.flags) *c.out << visible_controls(fmt::format("  {}：{}\n", m.flags[fi].name, m.flags[fi].message), true);
}

// Whether a record that did not parse is JSON Lines: a first line that is
// a record by itself (a syntax error past it), and another after it.
bool looks_like_json_lines(std::string_view json, uint32_t error_at) {
  const size_t nl = json.find('\n');
  if (nl == std::string_view::npos || error_at <= nl) return false;
  const std::string_view first = json.substr(0, nl);
  const size_t begin = first.find_first_not_of(" \t\r"), end = first.find_last_not_of(" \t\r");
  const size_t next = json.find_first_not_of(" \t\r\n", nl);
  return begin != std::string_view::npos && first[begin] == '{' && first[end] == '}' && next != std::string_view::npos &&
         json[next] == '{';
}

}  // namespace

int cmd_run(const Common& c, const RunArgs& a) {
  std::shared_ptr<const RuleSet> rules;
  std::shared_ptr<const Compilation> compilation;
  DecisionContext context;
  std::string signer;
  if (int rc = decision_setup(c, a.module, a.import_roots, a.jurisdiction, a.month, rules, context, &compilation,
                              a.trusted_keys, &signer))
    return rc;
  const ir::Module& m = rules->module();
  std::vector<Diagnostic> errors;
  std::string json;
  if (!read_source_file(a.record, json)) {
    report_all(c, {unreadable_file(a.record)});
    return 1;
  }
  const LoadedRecord record = load_household(*rules, json);
  if (!record.ok()) {
    std::vector<RecordProblem> problems = record.problems;
    for (RecordProblem& p : problems)
      if (p.code == DiagCode::E2001 && looks_like_json_lines(json, p.offset))
        p.notes.push_back(make_note(DiagCode::N0424, Span{}));
    // The excerpt masks 敏感 values (an ID number never reaches a terminal).
    *c.err << render_record_problems(problems_without_sensitive_values(m, problems, json, stars_for), a.record,
                                     mask_sensitive_values(m, json), c.render());
    return 1;
  }
  std::optional<LogKey> key;
  if (!a.log.empty()) {
    const bool key_ok = load_log_key(m, a.key_file, key, errors);
    report_all(c, errors);  // warnings too
    if (!key_ok) return 1;
  }

  // --output NAME: which outputs to show; every output is still decided
  // (and logged), so the answer is the one a full run gives.
  const auto selected = select_outputs(c, m, a.outputs);
  if (!selected) return 1;
  const std::vector<bool>& shown = *selected;
  // The solver's questions: the compile side, loaded only for them.
  const CompileSide* solver = nullptr;
  if ((!a.why_not.empty() || !a.thresholds.empty()) && !(solver = solver_for(c, a, compilation))) return 1;
  std::optional<WhyNotAsk> why_not;
  if (!a.why_not.empty() && !(why_not = solver->ask_why_not(c, a, compilation, m))) return 1;

  std::optional<ThresholdsAnswer> edges;
  if (!a.thresholds.empty() && !(edges = solver->ask_thresholds(c, a, compilation, rules, context, record))) return 1;

  const std::optional<EngineKind> kind = choose_engine(c, a.engine, false, rules);
  if (!kind) return 1;
  std::string engine_error;
  auto engine = make_engine(*kind, rules, engine_error);  // the code is in the process's cache by now
  if (!engine) {
    report_plain(c, DiagCode::E3011, {engine_error});
    return 1;
  }
  engine->set_context(context);
  TraceRecorder trace;
  // Traced once for what tells why: the explanation and the notice.
  const Decision d = engine->decide(record.data, a.explain || !a.notice.empty() ? &trace : nullptr);
  std::string logged_id;
  uint64_t logged_seq = 0;
  if (!a.log.empty() && !log_decision(c, a, *rules, signer, context, record, d, key, json, logged_id, logged_seq)) return 1;
  if (!a.notice.empty()) {
    NoticeInput in;
    in.decision = &d;
    in.trace = &trace.root();
    in.record = &record.data;
    in.jurisdiction = context.jurisdiction;
    in.month = context.month;
    in.decision_id = logged_id;
    in.log_seq = logged_seq;
    in.bundle_digest = rules->digest();
    if (int rc = write_notice(c, notice_html(m, in, c.lang), a.notice, "", "")) return rc;
  }

  if (a.json) {
    *c.out << decision_json(m, a.jurisdiction, context.month, d, c.lang) << "\n";
    return d.error ? 3 : 0;
  }
  *c.out << fmt::format("{}｜{}｜{}\n", m.name, a.jurisdiction, format_year_month(context.month));
  if (a.explain) {
    *c.out << explanation_text(c, m, d, trace.root(), record.data, shown, !a.outputs.empty(), a.detail);
  } else if (d.error) {
    *c.err << visible_controls(describe_eval_error(m, *d.error, c.lang)) << "\n";
  } else {
    print_outcome(c, m, d, shown);
  }
  if (why_not)
    if (int rc = solver->answer_why_not(c, *why_not, compilation, rules, context, record, d)) return rc;
  if (edges)
    if (int rc = solver->answer_thresholds(c, *edges, *rules, d)) return rc;
  return d.error ? 3 : 0;
}

}  // namespace doudi::cli
