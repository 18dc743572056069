// Fails when an #include crosses a layer the wrong way (docs/internals.md):
//   runtime/ (and include/doudi/engine.h, audit.h)  <-  compiler/ (and the other
//   include/doudi headers)  <-  tools/
// and when a file outside their home reaches a third-party header, directly
// or through our headers: Z3 only in compiler/analysis, ANTLR only in
// compiler/parse (and the generated grammar), LLVM only in runtime/jit.
// Usage: include_layers ROOT — prints each violation and exits 1 if any.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct Include {
  std::string target;
  bool quoted;
  int line;
};

std::vector<Include> includes_of(const fs::path& file) {
  static const std::regex kInclude(R"(^\s*#\s*include\s*([<"])([^>"]+)[>"])");
  std::vector<Include> out;
  std::ifstream in(file);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    std::smatch m;
    if (std::regex_search(line, m, kInclude)) out.push_back({m[2].str(), m[1].str() == "\"", n});
  }
  return out;
}

bool starts_with(const std::string& s, const std::string& prefix) { return s.compare(0, prefix.size(), prefix) == 0; }

// -1: not layered (tests, bench: they may use every layer).
int layer_of(const std::string& path) {
  if (path == "include/doudi/engine.h" || path == "include/doudi/audit.h" || path == "include/doudi/doudi.h") return 0;
  if (starts_with(path, "runtime/")) return 0;
  if (starts_with(path, "compiler/") || starts_with(path, "include/")) return 1;
  if (starts_with(path, "tools/")) return 2;
  return -1;
}

const char* kLayerNames[] = {"runtime", "compiler", "tools"};

struct ThirdParty {
  const char* name;
  std::regex header;
  std::vector<std::string> homes;  // path prefixes allowed to reach it
  // Its headers are also included by bare quoted name ("Token.h"): a quoted
  // include that is not a file of ours is one of them.
  bool bare_quoted = false;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: include_layers ROOT\n";
    return 2;
  }
  const fs::path root = argv[1];
  std::map<std::string, std::vector<Include>> files;  // relative path -> includes
  for (const char* top : {"runtime", "compiler", "tools", "include", "tests", "bench", "grammar"}) {
    std::error_code ec;
    if (!fs::is_directory(root / top, ec)) continue;
    for (auto it = fs::recursive_directory_iterator(root / top); it != fs::recursive_directory_iterator(); ++it) {
      if (it->is_directory() && it->path().filename() == "bad_tree") {  // this test's own failing fixture
        it.disable_recursion_pending();
        continue;
      }
      const auto ext = it->path().extension();
      if (!it->is_regular_file() || (ext != ".h" && ext != ".cc" && ext != ".def")) continue;
      files[fs::relative(it->path(), root).generic_string()] = includes_of(it->path());
    }
  }
  auto resolve = [&](const std::string& target) -> std::string {
    if (files.count(target)) return target;
    if (files.count("include/" + target)) return "include/" + target;
    return {};
  };
  const std::vector<ThirdParty> third_party = {
      {"Z3", std::regex(R"(^z3(\+\+)?\.h$|^z3_.*\.h$)"), {"compiler/analysis/"}},
      {"ANTLR", std::regex(R"(^antlr4-runtime\.h$|^antlr4/|^Doudi[A-Za-z]*\.h$)"), {"compiler/parse/", "grammar/"}, true},
      {"LLVM", std::regex(R"(^llvm/|^llvm-c/)"), {"runtime/jit/"}},
  };
  size_t violations = 0;
  for (const auto& [path, incs] : files) {
    const int layer = layer_of(path);
    for (const auto& inc : incs) {
      if (layer < 0) continue;
      const std::string target = resolve(inc.target);
      const int target_layer = target.empty() ? -1 : layer_of(target);
      // Below the analysis home, the compiler must not reach it (that would
      // link Z3 into doudi_compiler).
      const bool into_analysis = starts_with(path, "compiler/") && !starts_with(path, "compiler/analysis/") &&
                                 (starts_with(target, "compiler/analysis/") || target == "include/doudi/analysis.h");
      if (into_analysis) {
        std::cout << path << ":" << inc.line << ": the compiler includes \"" << inc.target << "\" (the analysis home)\n";
        ++violations;
      }
      if (target_layer > layer) {
        std::cout << path << ":" << inc.line << ": " << kLayerNames[layer] << " includes \"" << inc.target << "\" ("
                  << kLayerNames[target_layer] << ")\n";
        ++violations;
      }
    }
    // Third-party headers reached from this file, directly or through ours.
    for (const auto& tp : third_party) {
      bool home = false;
      for (const auto& h : tp.homes) home |= starts_with(path, h);
      if (home) continue;
      std::set<std::string> seen{path};
      std::vector<std::pair<std::string, std::string>> stack{{path, path}};  // file, chain
      while (!stack.empty()) {
        auto [file, chain] = stack.back();
        stack.pop_back();
        for (const auto& inc : files[file]) {
          const std::string next = resolve(inc.target);
          const bool foreign_quoted = tp.bare_quoted && inc.quoted && next.empty();
          if (foreign_quoted || std::regex_search(inc.target, tp.header)) {
            std::cout << path << ": reaches " << tp.name << " (" << inc.target << ") through " << chain << "\n";
            ++violations;
            stack.clear();
            break;
          }
          if (!next.empty() && seen.insert(next).second) stack.push_back({next, chain + " -> " + next});
        }
      }
    }
  }
  std::cout << violations << " include(s) cross a layer\n";
  return violations == 0 ? 0 : 1;
}
