#include "tools/cli/module_source.h"

namespace doudi::cli {

std::shared_ptr<const RuleSet> load_rules(const Common& c, const std::string& path,
                                          const std::vector<std::string>& import_roots) {
  CompileOptions options;
  options.import_roots = import_roots;
  LoadedRules loaded = doudi::load_rules(path, options);
  if (loaded.compilation) report(c, *loaded.compilation);
  report_all(c, loaded.errors);
  return loaded.rules;
}

void report_all(const Common& c, const std::vector<Diagnostic>& errors) {
  const SourceManager none;
  for (const auto& d : errors) *c.err << render(d, none, c.render());
}

}  // namespace doudi::cli
