// The one place that draws diagnostics: header, location, excerpt, caret.
#include <fmt/format.h>

#include "compiler/diag/diagnostic.h"
#include "compiler/source/utf8.h"

namespace doudi {
namespace {

const char* severity_word(Severity s, Lang lang) {
  switch (s) {
    case Severity::Error: return lang == Lang::Zh ? "错误" : "error";
    case Severity::Warning: return lang == Lang::Zh ? "警告" : "warning";
    case Severity::Note: return lang == Lang::Zh ? "提示" : "note";
  }
  return "";
}

const char* severity_color(Severity s) {
  switch (s) {
    case Severity::Error: return "\x1b[1;31m";
    case Severity::Warning: return "\x1b[1;33m";
    case Severity::Note: return "\x1b[1;36m";
  }
  return "";
}

void render_excerpt(std::string& out, const Diagnostic& d, const SourceManager& sm, bool color) {
  const auto& file = sm.file(d.span.file);
  const LineCol lc = file.line_col(d.span.begin);
  out += fmt::format("  --> {}:{}:{}\n", file.path(), lc.line, lc.column);
  const std::string line_no = std::to_string(lc.line);
  const std::string pad(line_no.size(), ' ');
  std::string line(file.line_text(lc.line));
  for (auto& ch : line)
    if (ch == '\t') ch = ' ';
  out += fmt::format("{} |\n{} | {}\n", pad, line_no, line);

  // Width of the text before the span and of the span itself on this line,
  // counted in terminal columns so carets sit under wide characters.
  size_t pos = 0;
  int before = 0;
  uint32_t col = 1;
  while (pos < line.size() && col < lc.column) {
    before += display_width(decode_utf8(line, pos));
    ++col;
  }
  int width = 0;
  size_t span_bytes = d.span.end > d.span.begin ? d.span.end - d.span.begin : 0;
  size_t consumed = 0;
  while (pos < line.size() && consumed < span_bytes) {
    const size_t start = pos;
    width += display_width(decode_utf8(line, pos));
    consumed += pos - start;
  }
  if (width == 0) width = 1;
  out += fmt::format("{} | {}{}{}{}\n", pad, std::string(static_cast<size_t>(before), ' '),
                     color ? severity_color(d.severity()) : "", std::string(static_cast<size_t>(width), '^'),
                     color ? "\x1b[0m" : "");
}

void render_one(std::string& out, const Diagnostic& d, const SourceManager& sm, const RenderOptions& opts,
                bool is_note) {
  const auto& info = diag_info(d.code);
  const std::string msg = d.message(opts.lang);
  const char* sep = opts.lang == Lang::Zh ? "：" : ": ";
  if (is_note && !d.span.valid()) {
    out += fmt::format("  = {}[{}]{}{}\n", severity_word(info.severity, opts.lang), info.code, sep, msg);
    return;
  }
  if (opts.color)
    out += fmt::format("{}{}[{}]\x1b[0m{}\x1b[1m{}\x1b[0m\n", severity_color(info.severity),
                       severity_word(info.severity, opts.lang), info.code, sep, msg);
  else
    out += fmt::format("{}[{}]{}{}\n", severity_word(info.severity, opts.lang), info.code, sep, msg);
  if (d.span.valid() && d.span.file < sm.size()) render_excerpt(out, d, sm, opts.color);
}

}  // namespace

std::string render(const Diagnostic& d, const SourceManager& sm, const RenderOptions& opts) {
  std::string out;
  render_one(out, d, sm, opts, false);
  for (const auto& n : d.notes) render_one(out, n, sm, opts, true);
  return out;
}

std::string render_all(const DiagSink& sink, const SourceManager& sm, const RenderOptions& opts) {
  std::string out;
  for (const auto& d : sink.all()) {
    out += render(d, sm, opts);
    out += '\n';
  }
  return out;
}

}  // namespace doudi
