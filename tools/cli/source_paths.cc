// expand_paths (commands.h): the .doudi files of the folders named on the
// command line, found by the compiler's module loader.
#include <filesystem>

#include "compiler/load/module_loader.h"
#include "tools/cli/commands.h"

namespace doudi::cli {

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

}  // namespace doudi::cli
