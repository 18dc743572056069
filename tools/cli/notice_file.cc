#include "tools/cli/notice_file.h"

#include <cstdlib>
#include <fstream>

#include "runtime/source/write_file.h"
#include "tools/cli/print_pdf.h"

namespace doudi::cli {

bool notice_is_pdf(const std::string& path, const std::string& format) {
  return format == "pdf" ||
         (format.empty() && path.size() > 4 && path.compare(path.size() - 4, 4, ".pdf") == 0);
}

int write_notice(const Common& c, const std::string& html, const std::string& path, const std::string& format,
                 const std::string& chromium) {
  if (notice_is_pdf(path, format)) {
    if (path.empty()) {
      report_all(c, {Diagnostic{DiagCode::E3009, Span{}, {}, {}}});
      return 1;
    }
    const char* env = std::getenv("DOUDI_CHROMIUM");
    const std::string browser = !chromium.empty() ? chromium : env && *env ? env : "chromium";
    if (const std::string why = print_pdf(html, path, browser); !why.empty()) {
      report_all(c, {Diagnostic{DiagCode::E3010, Span{}, {path, why}, {}}});
      return 1;
    }
    *c.err << c.pick("已写出通知书 ", "wrote the notice to ") << path << "\n";
    return 0;
  }
  if (path.empty()) {
    *c.out << html;
    return 0;
  }
  std::string error;
  if (!write_file_atomically(path, html, error)) {
    report_all(c, {Diagnostic{DiagCode::E3010, Span{}, {path, error}, {}}});
    return 1;
  }
  *c.err << c.pick("已写出通知书 ", "wrote the notice to ") << path << "\n";
  return 0;
}

}  // namespace doudi::cli
