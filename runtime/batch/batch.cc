#include "runtime/batch/batch.h"

#include "runtime/log/log_entry.h"
#include "runtime/record/jsonl.h"
#include "runtime/value/calendar.h"

namespace doudi {

BatchReport decide_batch(const RuleSet& rules, const DecisionContext& context, std::string_view input,
                         DecisionLog& log, const BatchSettings& settings, const OnRejected& on_rejected) {
  const ir::Module& m = rules.module();
  Interpreter interp(m);
  interp.set_context(context.jurisdiction, context.month);
  const std::string month = format_year_month(context.month);
  BatchReport r;
  for_each_jsonl_record(input, [&](int64_t index, std::string_view line) {
    ++r.in;
    if (index <= settings.done) {  // logged before the interruption
      ++r.skipped;
      return;
    }
    LogFields f;
    auto record = load_record_json(m, line);
    if (!record.ok()) {
      f = rejected_entry(m, record.problems, line, settings.key);
      if (on_rejected) on_rejected(index, line, record.problems);
      ++r.rejected;
    } else {
      const Decision d = interp.decide(record.data);
      f = decided_entry(m, record.data, d, settings.key);
      ++r.decided;
      r.errors += d.error.has_value();
    }
    f.batch = settings.batch;
    f.index = index;
    f.month = month;
    f.jurisdiction = context.jurisdiction_name;
    f.bundle = rules.digest();
    f.bundle_signer = settings.bundle_signer;
    // Syncing every entry would dominate a large batch; a crash loses at
    // most the unsynced tail, which a resumed batch decides again.
    log.append(f, false);
    if ((index & 255) == 255) log.sync();
  });
  log.sync();
  return r;
}

}  // namespace doudi
