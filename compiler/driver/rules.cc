// The compiler's side of the public API (doudi/compiler.h).
#include "doudi/compiler.h"

#include "runtime/bundle/bundle.h"
#include "runtime/source/read_file.h"

namespace doudi {

std::unique_ptr<Compilation> compile_text(const std::string& path, std::string text, CompileOptions options) {
  options.files.set_buffer(path, std::move(text));
  return compile({path}, options);
}

std::shared_ptr<const RuleSet> rule_set(std::shared_ptr<const Compilation> compilation) {
  if (!compilation || !compilation->ok() || !compilation->module) return nullptr;
  const ir::Module& module = *compilation->module;
  return RuleSet::from_module(std::move(compilation), module);
}

LoadedRules load_rules(const std::string& path, const CompileOptions& options) {
  LoadedRules out;
  std::string text;
  if (!options.files.read(path, text)) {
    out.errors.push_back(unreadable_file(path));
    return out;
  }
  if (looks_like_bundle(text)) {
    out.rules = RuleSet::from_bundle(text, path, out.errors);
    return out;
  }
  CompileOptions lower = options;
  lower.until = Stage::Lower;
  out.compilation = compile({path}, lower);
  out.rules = rule_set(out.compilation);
  return out;
}

}  // namespace doudi
