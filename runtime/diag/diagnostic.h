// Diagnostics are data: a code from diagnostic_kinds.def, a span, arguments
// and notes. Rendering (with the caret excerpt and the chosen language) is
// done in one place, render.cc.
#pragma once
#include <string>
#include <vector>

#include "runtime/source/source.h"

namespace doudi {

enum class Severity { Error, Warning, Note };
enum class Lang { Zh, En };

enum class DiagCode : uint16_t {
#define DIAG(code, sev, en, zh) code,
#include "runtime/diag/diagnostic_kinds.def"
#undef DIAG
};

struct DiagInfo {
  const char* code;
  Severity severity;
  const char* en;
  const char* zh;
};

const DiagInfo& diag_info(DiagCode code);
const std::vector<DiagCode>& all_diag_codes();

struct Diagnostic {
  DiagCode code;
  Span span;
  std::vector<std::string> args;
  std::vector<Diagnostic> notes;
  // A JSON value for programs (e.g. a counterexample household), shown as
  // "data" by --diagnostics json; the message already says it for people.
  std::string data_json = {};

  Severity severity() const { return diag_info(code).severity; }
  std::string message(Lang lang) const;
};

// Collects diagnostics for one run. Passes report here and keep going, so one
// run shows several errors; poisoned types stop cascades at the source.
// Diagnostics of one compilation or run. At most kMaxKept are kept: past
// that, one E0011 ("too many errors") stands for the rest, so a file with a
// million mistakes costs a bounded report (and rendering stays linear).
class DiagSink {
 public:
  static constexpr size_t kMaxKept = 200;

  // Returns the diagnostic to attach notes to (past the limit, a scratch one
  // that is dropped).
  Diagnostic& report(DiagCode code, Span span, std::vector<std::string> args = {});
  Diagnostic& add(Diagnostic d);
  bool has_errors() const { return errors_ > 0; }
  size_t error_count() const { return errors_; }
  const std::vector<Diagnostic>& all() const { return diags_; }
  void sort_by_position();

 private:
  std::vector<Diagnostic> diags_;
  size_t errors_ = 0;
  bool overflowed_ = false;
  Diagnostic dropped_{};
};

// An argument that reads differently in each language (e.g. "end of file").
std::string bilingual(std::string_view zh, std::string_view en);
// The part of a bilingual text for `lang` (a text with one language is itself).
std::string in_lang(std::string_view text, Lang lang);

Diagnostic make_note(DiagCode code, Span span, std::vector<std::string> args = {});

struct RenderOptions {
  Lang lang = Lang::Zh;
  bool color = false;
  // One JSON object per diagnostic and line, with both languages, for
  // editors and CI; `lang` and `color` do not apply.
  bool json = false;
};

// Text: the header, excerpt and notes, each line ending in '\n'; callers put a
// blank line between diagnostics with `separator`. JSON: one line.
std::string render(const Diagnostic& d, const SourceManager& sm, const RenderOptions& opts);
std::string render_all(const DiagSink& sink, const SourceManager& sm, const RenderOptions& opts);
inline const char* separator(const RenderOptions& opts) { return opts.json ? "" : "\n"; }

// The candidate fewest edits away (a character inserted, deleted or
// replaced, or two neighbours swapped), or empty if none is close.
std::string closest_name(const std::string& name, const std::vector<std::string>& candidates);
// A candidate that starts as `name` was written (单人户 → 单人户纳入,
// 成员#1.工资 → 成员#1.工资性收入), else the closest by spelling; empty if none.
std::string nearest_name(const std::string& name, const std::vector<std::string>& candidates);

}  // namespace doudi
