#include "tools/cli/commands.h"

namespace doudi::cli {

bool report(const Common& c, const Compilation& comp) {
  *c.err << render_all(comp.diags, comp.sources, c.render());
  return comp.ok();
}

void report_plain(const Common& c, DiagCode code, std::vector<std::string> args) {
  report_all(c, {Diagnostic{code, Span{}, std::move(args), {}}});
}

void report_all(const Common& c, const std::vector<Diagnostic>& errors) {
  const SourceManager none;
  for (const auto& d : errors) *c.err << render(d, none, c.render());
}

}  // namespace doudi::cli
