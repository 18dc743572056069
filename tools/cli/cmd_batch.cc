// doudi batch: decide every record of a JSONL file into the decision log.
#include <fmt/format.h>

#include "runtime/batch/batch.h"
#include "runtime/digest/digest.h"
#include "runtime/log/log_entry.h"
#include "runtime/record/mask_sensitive.h"
#include "runtime/source/read_file.h"
#include "runtime/value/calendar.h"
#include "tools/cli/keys.h"
#include "tools/cli/module_source.h"

namespace doudi::cli {

// Rejected records shown in full on the terminal; a batch of bad data should
// not bury the summary.
constexpr size_t kShownRejections = 20;

int cmd_batch(const Common& c, const BatchArgs& a) {
  std::shared_ptr<const RuleSet> rules;
  DecisionContext context;
  BatchSettings settings;
  if (int rc = decision_setup(c, a.module, a.import_roots, a.jurisdiction, a.month, rules, context, nullptr,
                              a.trusted_keys, &settings.bundle_signer))
    return rc;
  std::vector<Diagnostic> errors;
  const bool key_ok = load_log_key(rules->module(), a.key_file, settings.key, errors);
  report_all(c, errors);  // warnings too
  if (!key_ok) return 1;
  std::string input;
  if (!read_source_file(a.records, input)) {
    report_all(c, {unreadable_file(a.records)});
    return 1;
  }
  settings.batch = batch_id(rules->digest(), format_year_month(context.month), a.jurisdiction, sha256_hex(input));
  CheckpointSettings checkpoints;
  checkpoints.every = a.checkpoint_every;
  if (!a.signing_key.empty() && !(checkpoints.key = signing_key_or_report(c, a.signing_key))) return 1;
  std::string error;
  auto log = DecisionLog::open(a.log, a.resume, error, std::move(checkpoints));
  if (!log) {
    report_plain(c, DiagCode::E4003, {a.log, error});
    return 1;
  }
  settings.done = log->last_index(settings.batch);
  const DecisionLog::Logged before = log->logged(settings.batch);
  if (settings.done >= 0 && !a.resume) {
    report_plain(c, DiagCode::E4004, {a.log});
    return 1;
  }
  const std::string key_id = settings.key ? settings.key->id : "";
  if (settings.done >= 0 && before.key_id != key_id) {
    report_plain(c, DiagCode::E4007, {a.log, before.key_id.empty() ? "—" : before.key_id, key_id.empty() ? "—" : key_id});
    return 1;
  }
  // The first rejections in full, with their line; all are in the log.
  size_t shown = 0;
  auto show = [&](int64_t line, std::string_view text, const std::vector<RecordProblem>& problems) {
    if (shown++ < kShownRejections)
      *c.err << render_record_problems(problems_without_sensitive_values(rules->module(), problems, text, stars_for), a.records,
                                       mask_sensitive_values(rules->module(), text), c.render(),
                                       static_cast<uint32_t>(line + 1));
  };
  BatchReport r;
  try {
    r = decide_batch(*rules, context, input, *log, settings, show);
    log->checkpoint();  // the batch is done: sign what it wrote
  } catch (const std::exception& e) {
    report_plain(c, DiagCode::E4003, {a.log, e.what()});
    return 1;
  }
  if (r.rejected > kShownRejections)
    *c.err << (c.lang == Lang::Zh ? fmt::format("另有 {} 条被拒收的记录未在此列出；每条拒收及其原因都记在日志中\n", r.rejected - kShownRejections)
                                  : fmt::format("{} more rejected record(s) not shown here; the log has every rejection and why\n",
                                                r.rejected - kShownRejections));
  // The whole batch, the part logged before a resume included.
  const uint64_t decided = r.decided + before.decided, error_results = r.errors + before.errors,
                 rejected = r.rejected + before.rejected;
  *c.out << (c.lang == Lang::Zh
                 ? fmt::format("记录 {} 条 = 已决定 {} 条（其中错误结果 {} 条）+ 拒收 {} 条{}\n", r.in, decided, error_results,
                               rejected, r.skipped ? fmt::format("；续跑前已记录 {} 条", r.skipped) : "")
                 : fmt::format("records in: {} = decided {} (of which error results {}) + rejected {}{}\n", r.in, decided,
                               error_results, rejected, r.skipped ? fmt::format("; {} were logged before resuming", r.skipped) : ""));
  if (rejected > 0) return 1;
  return decided > 0 && error_results == decided ? 3 : 0;  // every decision an error result: the rules cannot decide here
}

}  // namespace doudi::cli
