// The compiler's side of the public API (doudi/compiler.h).
#include "doudi/compiler.h"

#include "runtime/bundle/bundle.h"
#include "runtime/source/read_file.h"

namespace doudi {

std::unique_ptr<Compilation> compile_text(const std::string& path, std::string text, CompileOptions options) {
  options.files.set_buffer(path, std::move(text));
  return compile({path}, options);
}

std::shared_ptr<const RuleSet> rule_set(std::shared_ptr<const Compilation> compilation, std::vector<Diagnostic>& errors) {
  if (!compilation || !compilation->ok() || !compilation->module) return nullptr;
  const std::string origin = compilation->sources.size() ? compilation->sources.file(0).path() : compilation->module->name;
  // The module shares the compilation's ownership (the aliasing constructor).
  std::shared_ptr<const ir::Module> module(compilation, &*compilation->module);
  return RuleSet::from_module(std::move(module), origin, errors);
}


LoadedRules load_rules(const std::string& path, const CompileOptions& options) {
  LoadedRules out;
  std::string text;
  if (!options.files.read(path, text)) {
    out.errors.push_back(unreadable_file(path));
    return out;
  }
  if (is_bundle(path, text)) {
    out.rules = RuleSet::from_bundle(text, path, out.errors);
    return out;
  }
  return load_source_rules(path, std::move(text), options);
}

LoadedRules load_source_rules(const std::string& path, std::string text, CompileOptions options) {
  LoadedRules out;
  options.until = Stage::Lower;
  out.compilation = compile_text(path, std::move(text), std::move(options));
  out.rules = rule_set(out.compilation, out.errors);
  return out;
}

}  // namespace doudi
