// doudi notice: a logged decision as a printable A4 notice for the household,
// HTML on stdout or a file, or PDF (headless Chromium).
#include <cstdlib>
#include <fstream>

#include "runtime/explain/notice.h"
#include "tools/cli/logged_decision.h"
#include "tools/cli/print_pdf.h"

namespace doudi::cli {

int cmd_notice(const Common& c, const NoticeArgs& a) {
  const bool pdf = a.format == "pdf" || (a.format.empty() && a.output.size() > 4 &&
                                         a.output.compare(a.output.size() - 4, 4, ".pdf") == 0);
  if (pdf && a.output.empty()) {
    report_all(c, {Diagnostic{DiagCode::E3009, Span{}, {}, {}}});
    return 1;
  }
  const auto logged = redecide_logged(c, a.log, a.id, a.bundle);
  if (!logged) return 1;
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
  const std::string html = notice_html(logged->rules->module(), in, c.lang);
  if (pdf) {
    const char* env = std::getenv("DOUDI_CHROMIUM");
    const std::string browser = !a.chromium.empty() ? a.chromium : env && *env ? env : "chromium";
    if (const std::string why = print_pdf(html, a.output, browser); !why.empty()) {
      report_all(c, {Diagnostic{DiagCode::E3010, Span{}, {a.output, why}, {}}});
      return 1;
    }
    *c.err << c.pick("已写出通知书 ", "wrote the notice to ") << a.output << "\n";
    return 0;
  }
  if (a.output.empty()) {
    *c.out << html;
    return 0;
  }
  std::ofstream out(a.output, std::ios::binary);
  out << html;
  if (!out) {
    report_all(c, {Diagnostic{DiagCode::E3010, Span{}, {a.output, bilingual("无法写入文件", "cannot write the file")}, {}}});
    return 1;
  }
  return 0;
}

}  // namespace doudi::cli
