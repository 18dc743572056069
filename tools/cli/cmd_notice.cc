// doudi notice: a logged decision as a printable A4 notice for the household,
// HTML on stdout or a file, or PDF (headless Chromium).
#include "runtime/explain/notice.h"
#include "tools/cli/logged_decision.h"
#include "tools/cli/notice_file.h"

namespace doudi::cli {

int cmd_notice(const Common& c, const NoticeArgs& a) {
  if (notice_is_pdf(a.output, a.format) && a.output.empty()) {
    report_all(c, {Diagnostic{DiagCode::E3009, Span{}, {}, {}}});
    return 1;
  }
  const auto logged = redecide_logged(c, a.log, a.id, a.bundle, a.import_roots, a.public_key, a.trusted_keys);
  if (!logged) return 1;
  if (!logged->changes.empty()) {
    // A notice tells the household the logged decision; these rules give another.
    warn_changes(c, *logged);
    report_plain(c, DiagCode::E4003, {a.log, bilingual("重新计算的结果与日志所记不同，不能据此出具通知书", "the outcome decided again differs from the logged one: no notice can be made from it")});
    return 1;
  }
  NoticeInput in;
  in.decision = &logged->decision;
  in.trace = &logged->trace->root();
  in.record = &logged->record.data;
  in.jurisdiction = logged->context.jurisdiction;
  in.month = logged->context.month;
  in.decision_id = logged->entry.id;
  in.log_seq = logged->entry.seq;
  in.bundle_digest = logged->rules->digest();
  in.show_sensitive = a.show_sensitive;
  return write_notice(c, notice_html(logged->rules->module(), in, c.lang), a.output, a.format, a.chromium);
}

}  // namespace doudi::cli
