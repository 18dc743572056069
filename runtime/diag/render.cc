// The one place that draws diagnostics: header, location, excerpt, caret.
#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "runtime/diag/diagnostic.h"
#include "runtime/source/utf8.h"

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

// Shows the line of the span's start, cut to a window of at most kWindow
// terminal columns around the span (with … where cut), and carets under the
// span, wide under wide characters; control characters made visible.
void render_excerpt(std::string& out, const Diagnostic& d, const SourceManager& sm, bool color) {
  constexpr int kWindow = 120, kLead = 40;
  const auto& file = sm.file(d.span.file);
  const LineCol lc = file.line_col(d.span.begin);
  out += fmt::format("  --> {}:{}:{}\n", visible_controls(file.path()), lc.line, lc.column);
  const std::string line_no = std::to_string(lc.line);
  const std::string pad(line_no.size(), ' ');
  std::string_view whole = file.line_text(lc.line);
  // A long line (a record on one line, a generated rule) is cut to the bytes
  // the window can reach before anything is decoded: each character is at
  // most 4 bytes and at least one column, so the window is the same, and a
  // thousand diagnostics on a 50 MB line cost a thousand windows, not lines.
  const size_t span_at = std::min<size_t>(d.span.begin - (whole.data() - file.text().data()), whole.size());
  size_t view_from = 0, view_to = whole.size();
  if (whole.size() > 4 * (kLead + kWindow) + 8) {
    if (span_at > 4 * kLead + 4) view_from = span_at - 4 * kLead - 4;
    view_to = std::min(whole.size(), span_at + 4 * kWindow + 4);
    while (view_from < span_at && (static_cast<unsigned char>(whole[view_from]) & 0xC0) == 0x80) ++view_from;
    while (view_to < whole.size() && (static_cast<unsigned char>(whole[view_to]) & 0xC0) == 0x80) ++view_to;
  }
  std::string line(whole.substr(view_from, view_to - view_from));
  for (auto& ch : line)
    if (ch == '\t') ch = ' ';

  // Split the line into characters with their widths and byte offsets.
  struct Ch {
    size_t at;
    int width;
  };
  std::vector<Ch> chars;
  for (size_t pos = 0; pos < line.size();) {
    const size_t at = pos;
    chars.push_back({at, display_width(decode_utf8(line, pos))});
  }
  size_t span_first = 0;
  while (span_first < chars.size() && view_from + chars[span_first].at < span_at) ++span_first;
  const size_t span_bytes = d.span.end > d.span.begin ? d.span.end - d.span.begin : 0;
  const size_t line_span_start = span_first < chars.size() ? chars[span_first].at : line.size();

  // Window: start kLead columns before the span when the line is long.
  size_t first = 0;
  int lead = 0;
  for (size_t i = span_first; i > 0 && lead + chars[i - 1].width <= kLead; --i) {
    lead += chars[i - 1].width;
    first = i - 1;
  }
  int before_total = 0, line_width = 0;
  for (size_t i = 0; i < span_first; ++i) before_total += chars[i].width;
  for (const auto& ch : chars) line_width += ch.width;
  if (view_from == 0 && (before_total <= kLead || line_width <= kWindow)) first = 0;
  size_t last = first;
  int shown = 0;
  while (last < chars.size() && shown + chars[last].width <= kWindow) shown += chars[last++].width;

  const bool cut_left = view_from + (first < chars.size() ? chars[first].at : line.size()) > 0;
  const bool cut_right = last < chars.size() || view_to < whole.size();
  const size_t from = first < chars.size() ? chars[first].at : line.size();
  const size_t to = last < chars.size() ? chars[last].at : line.size();
  out += fmt::format("{} |\n{} | {}{}{}\n", pad, line_no, cut_left ? "…" : "", visible_controls(line.substr(from, to - from)),
                     cut_right ? "…" : "");

  int before = cut_left ? 1 : 0;
  for (size_t i = first; i < span_first && i < last; ++i) before += chars[i].width;
  int width = 0;
  for (size_t i = span_first; i < last && chars[i].at < line_span_start + span_bytes; ++i) width += chars[i].width;
  if (width == 0) width = 1;
  out += fmt::format("{} | {}{}{}{}\n", pad, std::string(static_cast<size_t>(before), ' '),
                     color ? severity_color(d.severity()) : "", std::string(static_cast<size_t>(width), '^'),
                     color ? "\x1b[0m" : "");
}

void render_one(std::string& out, const Diagnostic& d, const SourceManager& sm, const RenderOptions& opts,
                bool is_note) {
  const auto& info = diag_info(d.code);
  const std::string msg = visible_controls(d.message(opts.lang));
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

// {"code", "severity", "message": {"zh", "en"}, "file", "line", "column",
// "end_line", "end_column", "source", "data" (when there is some), "notes"}; positions are 1-based, columns
// count characters; a diagnostic without a place has null there.
std::string render_json(const Diagnostic& d, const SourceManager& sm, bool with_notes) {
  const auto& info = diag_info(d.code);
  std::string out = fmt::format("{{\"code\":\"{}\",\"severity\":\"{}\",\"message\":{{\"zh\":{},\"en\":{}}}", info.code,
                                severity_word(info.severity, Lang::En), json_quote(d.message(Lang::Zh)), json_quote(d.message(Lang::En)));
  if (d.span.valid() && d.span.file < sm.size()) {
    const auto& file = sm.file(d.span.file);
    const LineCol from = file.line_col(d.span.begin), to = file.line_col(std::max(d.span.end, d.span.begin));
    out += fmt::format(",\"file\":{},\"line\":{},\"column\":{},\"end_line\":{},\"end_column\":{},\"source\":{}",
                       json_quote(file.path()), from.line, from.column, to.line, to.column,
                       json_quote(file.line_text(from.line)));
  } else {
    out += ",\"file\":null,\"line\":null,\"column\":null,\"end_line\":null,\"end_column\":null,\"source\":null";
  }
  if (!d.data_json.empty()) out += ",\"data\":" + d.data_json;
  if (with_notes) {
    out += ",\"notes\":[";
    for (size_t i = 0; i < d.notes.size(); ++i) out += (i ? "," : "") + render_json(d.notes[i], sm, false);
    out += "]";
  }
  return out + "}";
}

}  // namespace

std::string render(const Diagnostic& d, const SourceManager& sm, const RenderOptions& opts) {
  if (opts.json) return render_json(d, sm, true) + "\n";
  std::string out;
  render_one(out, d, sm, opts, false);
  for (const auto& n : d.notes) render_one(out, n, sm, opts, true);
  return out;
}

std::string render_all(const DiagSink& sink, const SourceManager& sm, const RenderOptions& opts) {
  std::string out;
  for (const auto& d : sink.all()) {
    out += render(d, sm, opts);
    out += separator(opts);
  }
  return out;
}

}  // namespace doudi
