#include <filesystem>

#include "compiler/load/module_loader.h"
#include "tools/cli/commands.h"

namespace doudi::cli {

bool report(const Common& c, const Compilation& comp) {
  *c.err << render_all(comp.diags, comp.sources, c.render());
  return comp.ok();
}

std::vector<std::string> expand_paths(const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  for (const auto& p : paths) {
    std::error_code ec;
    if (std::filesystem::is_directory(p, ec)) {
      for (auto& f : find_doudi_files(p)) out.push_back(f);
    } else {
      out.push_back(p);
    }
  }
  return out;
}

void report_plain(const Common& c, DiagCode code, std::vector<std::string> args) {
  report_all(c, {Diagnostic{code, Span{}, std::move(args), {}}});
}

void report_all(const Common& c, const std::vector<Diagnostic>& errors) {
  const SourceManager none;
  for (const auto& d : errors) *c.err << render(d, none, c.render());
}

}  // namespace doudi::cli
