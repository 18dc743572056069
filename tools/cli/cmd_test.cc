// doudi test: runs every 测试 block (compiler/analysis/run_tests) and prints
// each failure with the trace of what was computed.
#include <fmt/format.h>

#include "compiler/analysis/test_failure_text.h"
#include "doudi/analysis.h"
#include "tools/cli/commands.h"

namespace doudi::cli {

int cmd_test(const Common& c, const TestArgs& a) {
  const TestReport r = run_tests(expand_paths(a.paths), a.import_roots);
  for (const auto& file : r.files) {
    if (!report(c, *file.compilation)) {
      *c.out << fmt::format("✗ {}: {}\n", file.path, c.pick("无法编译，测试未运行", "does not compile; its tests did not run"));
      continue;
    }
    for (const auto& t : file.tests)
      for (const auto& f : t.failures) *c.out << test_failure_text(*file.compilation->module, t, f, c.lang);
  }
  *c.out << fmt::format("{} passed, {} failed\n", r.passed, r.failed);
  return r.failed == 0 ? 0 : 1;
}

}  // namespace doudi::cli
