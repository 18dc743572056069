// Writing a decision notice: HTML to stdout or a file, or PDF through
// headless Chromium (by --format pdf or a .pdf file name). For notice and
// run --notice.
#pragma once
#include <string>

#include "tools/cli/commands.h"

namespace doudi::cli {

// `format`: "html", "pdf" or "" (by the file's extension); `chromium`: the
// browser ("" for $DOUDI_CHROMIUM, else chromium). Reports E3009/E3010 and
// returns 1 on failure, else 0.
int write_notice(const Common& c, const std::string& html, const std::string& path, const std::string& format,
                 const std::string& chromium);

// Whether a notice written to `path` in `format` is a PDF.
bool notice_is_pdf(const std::string& path, const std::string& format);

}  // namespace doudi::cli
