// The public API for compiling rules: from files on disk or from text in
// memory (an editor's unsaved buffer, rules typed into a console), to the
// checking stage (diagnostics only) or to a rule set that decides.
//
//   CompileOptions options;
//   options.import_roots = {"stdlib-policies"};
//   auto compilation = compile_text("county.doudi", text, options);
//   if (!compilation->ok()) std::cerr << render_all(compilation->diags, compilation->sources, {});
//   auto rules = rule_set(std::move(compilation), errors);   // then doudi/engine.h
//
// Links doudi_compiler (ANTLR inside, private); the proofs and other
// analyses are in doudi/analysis.h.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "compiler/driver/pipeline.h"
#include "doudi/engine.h"

namespace doudi {

// Compiles `text` as if it were the file at `path` (which need not exist;
// its folder decides where imports are looked for, as for a file there).
std::unique_ptr<Compilation> compile_text(const std::string& path, std::string text, CompileOptions options = {});

// The rule set of a compilation that reached the IR; null if it has errors
// or stopped at the checking stage, or (appended to `errors`, a compiler bug)
// its IR does not verify. The rule set keeps the compilation alive.
std::shared_ptr<const RuleSet> rule_set(std::shared_ptr<const Compilation> compilation, std::vector<Diagnostic>& errors);

// Rules from a path: a bundle (read and verified) or a .doudi module
// (compiled with its imports). On failure `rules` is null and the errors are
// in `errors`, or in `compilation`'s diagnostics for a module that does not
// compile (render those with its sources).
struct LoadedRules {
  std::shared_ptr<const RuleSet> rules;
  std::shared_ptr<const Compilation> compilation;  // for a module compiled from source
  std::vector<Diagnostic> errors;                  // unreadable file, bad bundle
};
LoadedRules load_rules(const std::string& path, const CompileOptions& options = {});

// load_rules' second half: `text`, read from `path` and not a bundle,
// compiled with its imports (for a caller that read the file itself, as
// `doudi` does to decide a bundle without loading the compiler).
LoadedRules load_source_rules(const std::string& path, std::string text, CompileOptions options = {});

}  // namespace doudi
