#include "tools/cli/module_source.h"

namespace doudi::cli {

std::shared_ptr<const RuleSet> rules_or_report(const Common& c, const std::string& path,
                                          const std::vector<std::string>& import_roots) {
  CompileOptions options;
  options.import_roots = import_roots;
  LoadedRules loaded = doudi::load_rules(path, options);
  if (loaded.compilation) report(c, *loaded.compilation);
  report_all(c, loaded.errors);
  return loaded.rules;
}

}  // namespace doudi::cli
