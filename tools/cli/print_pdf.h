// An HTML page printed to PDF by headless Chromium (Debian's `chromium`).
// Chromium, not a C++ library: Debian has no maintained HTML-to-PDF library
// that shapes Chinese text; Chromium lays the notice out as a browser shows
// it, with the CJK fonts fontconfig finds, and the browser test of the
// notice uses the same engine.
#pragma once
#include <string>

namespace doudi::cli {

// Writes `pdf_path`; returns "" or why it could not (bilingual).
// `chromium`: the browser to run (a name on PATH or a path).
std::string print_pdf(const std::string& html, const std::string& pdf_path, const std::string& chromium);

}  // namespace doudi::cli
