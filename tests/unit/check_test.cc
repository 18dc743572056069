// Every counterexample household `check` finds (read from the report's data) is fed to `doudi run`,
// which must show the same conflict at run time.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "doudi/analysis.h"
#include "runtime/value/calendar.h"
#include "tools/cli/cli.h"

namespace fs = std::filesystem;

TEST_CASE("check's counterexample households reproduce the conflict in doudi run") {
  fs::current_path(DOUDI_SOURCE_DIR);
  size_t examples = 0, nowhere = 0;
  for (const auto& entry : fs::directory_iterator("tests/check")) {
    const std::string file = entry.path().string();
    if (entry.path().extension() != ".doudi") continue;
    doudi::CheckOptions options;
    options.no_cache = true;
    options.import_roots = {"stdlib-policies"};
    const doudi::CheckReport report = doudi::check_files({file}, options);
    // Every finding with a household carries it as data too.
    size_t notes = 0;
    for (const auto& f : report.findings)
      for (const auto& n : f.diagnostic.notes) notes += n.code == doudi::DiagCode::N0406;
    CHECK(notes == report.counterexamples.size());
    for (const auto& example : report.counterexamples) {
      ++examples;
      // A conflict shows E1003 at run time; a gap E1004.
      REQUIRE((example.finding == doudi::DiagCode::E5002 || example.finding == doudi::DiagCode::E5003));
      const std::string expected = example.finding == doudi::DiagCode::E5002 ? "[E1003]" : "[E1004]";
      const fs::path record = fs::temp_directory_path() / "doudi_counterexample.json";
      std::ofstream(record) << example.household;
      // Rules that declare no jurisdiction were searched where only the
      // declarations' values hold: run them in a copy with one empty
      // jurisdiction, which is exactly that.
      std::string module = file, jurisdiction = example.jurisdiction;
      if (jurisdiction.empty()) {
        module = (fs::temp_directory_path() / "doudi_counterexample_module.doudi").string();
        std::ifstream in(file);
        std::ostringstream copy;
        copy << in.rdbuf() << "\n辖区 空辖区 {}\n";
        std::ofstream(module) << copy.str();
        jurisdiction = "空辖区";
        ++nowhere;
      }
      std::ostringstream run_out, run_err;
      const int rc = doudi::run_cli({"--lang", "en", "run", "-I", "stdlib-policies", module, "-j", jurisdiction, "-m",
                                     doudi::format_year_month(example.month), record.string()},
                                    run_out, run_err);
      INFO(file, " rule ", example.rule, "\n", run_err.str(), run_out.str());
      CHECK(rc == 3);
      CHECK(run_err.str().find(expected) != std::string::npos);
    }
  }
  CHECK(examples >= 2);
  CHECK(nowhere >= 1);
}
