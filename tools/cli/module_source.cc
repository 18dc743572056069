#include "tools/cli/module_source.h"

namespace doudi::cli {

std::shared_ptr<const RuleSet> rules_or_report(const Common& c, const std::string& path,
                                          const std::vector<std::string>& import_roots,
                                          std::shared_ptr<const Compilation>* compilation) {
  CompileOptions options;
  options.import_roots = import_roots;
  LoadedRules loaded = doudi::load_rules(path, options);
  if (loaded.compilation) report(c, *loaded.compilation);
  report_all(c, loaded.errors);
  if (compilation) *compilation = loaded.compilation;
  return loaded.rules;
}

int decision_setup(const Common& c, const std::string& path, const std::vector<std::string>& import_roots,
                   const std::string& jurisdiction, const std::string& month, std::shared_ptr<const RuleSet>& rules,
                   DecisionContext& context, std::shared_ptr<const Compilation>* compilation) {
  rules = rules_or_report(c, path, import_roots, compilation);
  if (!rules) return 1;
  std::vector<Diagnostic> errors;
  if (!rules->decides(errors)) {
    report_all(c, errors);
    return 1;
  }
  const auto found = rules->context(jurisdiction, month, errors);
  if (!found) {
    report_all(c, errors);
    return 2;
  }
  context = *found;
  return 0;
}

}  // namespace doudi::cli
