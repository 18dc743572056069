#include "runtime/diag/diagnostic.h"

#include <algorithm>
#include <fmt/args.h>
#include <fmt/format.h>

#include "runtime/source/utf8.h"

namespace doudi {
namespace {

const DiagInfo kInfos[] = {
#define DIAG(code, sev, en, zh) {#code, Severity::sev, en, zh},
#include "runtime/diag/diagnostic_kinds.def"
#undef DIAG
};

std::u32string to_u32(const std::string& s) {
  std::u32string out;
  size_t pos = 0;
  while (pos < s.size()) out += decode_utf8(s, pos);
  return out;
}

// Edits from a to b: a character inserted, deleted or replaced, or two
// neighbours swapped (the typo `rnu` is one edit from `run`, not two).
size_t edit_distance(const std::u32string& a, const std::u32string& b) {
  std::vector<size_t> before(b.size() + 1), prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) cur[j] = std::min(cur[j], before[j - 2] + 1);
    }
    std::swap(before, prev);
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

const DiagInfo& diag_info(DiagCode code) { return kInfos[static_cast<size_t>(code)]; }

const std::vector<DiagCode>& all_diag_codes() {
  static const std::vector<DiagCode> codes = [] {
    std::vector<DiagCode> v;
    for (size_t i = 0; i < std::size(kInfos); ++i) v.push_back(static_cast<DiagCode>(i));
    return v;
  }();
  return codes;
}

std::string Diagnostic::message(Lang lang) const {
  const auto& info = diag_info(code);
  fmt::dynamic_format_arg_store<fmt::format_context> store;
  for (const auto& a : args) {
    store.push_back(in_lang(a, lang));
  }
  // Pad missing arguments so a short argument list never throws.
  for (size_t i = args.size(); i < 6; ++i) store.push_back(std::string("?"));
  return fmt::vformat(lang == Lang::Zh ? info.zh : info.en, store);
}

Diagnostic& DiagSink::report(DiagCode code, Span span, std::vector<std::string> args) {
  return add(Diagnostic{code, span, std::move(args), {}});
}

Diagnostic& DiagSink::add(Diagnostic d) {
  if (d.severity() == Severity::Error) ++errors_;
  if (diags_.size() >= kMaxKept) {
    if (!overflowed_) {
      overflowed_ = true;
      ++errors_;
      diags_.push_back(Diagnostic{DiagCode::E0011, d.span, {}, {}});
    }
    dropped_ = std::move(d);
    return dropped_;
  }
  diags_.push_back(std::move(d));
  return diags_.back();
}

void DiagSink::sort_by_position() {
  std::stable_sort(diags_.begin(), diags_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    if (a.span.file != b.span.file) return a.span.file < b.span.file;
    return a.span.begin < b.span.begin;
  });
}

std::string bilingual(std::string_view zh, std::string_view en) {
  std::string out(zh);
  out += '\x1f';
  out += en;
  return out;
}

std::string in_lang(std::string_view text, Lang lang) {
  const auto bar = text.find('\x1f');
  if (bar == std::string_view::npos) return std::string(text);
  return std::string(lang == Lang::Zh ? text.substr(0, bar) : text.substr(bar + 1));
}

Diagnostic make_note(DiagCode code, Span span, std::vector<std::string> args) {
  return Diagnostic{code, span, std::move(args), {}};
}

std::string closest_name(const std::string& name, const std::vector<std::string>& candidates) {
  const auto target = to_u32(name);
  std::string best;
  size_t best_d = SIZE_MAX;
  for (const auto& c : candidates) {
    if (c == name) continue;
    const auto d = edit_distance(target, to_u32(c));
    if (d < best_d) { best_d = d; best = c; }
  }
  const size_t limit = std::max<size_t>(1, target.size() / 3);
  return best_d <= limit ? best : std::string();
}

std::string nearest_name(const std::string& name, const std::vector<std::string>& candidates) {
  if (!name.empty())
    for (const auto& c : candidates)
      if (c != name && c.rfind(name, 0) == 0) return c;
  return closest_name(name, candidates);
}

}  // namespace doudi
