// Every counterexample household `doudi check` prints is fed to `doudi run`,
// which must show the same conflict at run time.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "tools/cli/cli.h"

namespace fs = std::filesystem;

TEST_CASE("check's counterexample households reproduce the conflict in doudi run") {
  fs::current_path(DOUDI_SOURCE_DIR);
  size_t examples = 0;
  for (const auto& entry : fs::directory_iterator("tests/check")) {
    const std::string file = entry.path().string();
    if (entry.path().extension() != ".doudi") continue;
    std::ostringstream out, err;
    doudi::run_cli({"--lang", "en", "--color", "never", "check", "-I", "stdlib-policies", file}, out, err);
    const std::string text = err.str() + out.str();
    static const std::regex kExample(R"(for example in `([^`]+)`, (\d{4}-\d{2}), this household \([^)]*\): (\{.*\})\n)");
    for (std::sregex_iterator it(text.begin(), text.end(), kExample), end; it != end; ++it) {
      ++examples;
      const fs::path record = fs::temp_directory_path() / "doudi_counterexample.json";
      std::ofstream(record) << (*it)[3].str();
      std::ostringstream run_out, run_err;
      const int rc = doudi::run_cli({"--lang", "en", "run", "-I", "stdlib-policies", file, "-j", (*it)[1].str(), "-m",
                                     (*it)[2].str(), record.string()},
                                    run_out, run_err);
      INFO(file, "\n", run_err.str(), run_out.str());
      CHECK(rc == 3);
      CHECK(run_err.str().find("[E1003]") != std::string::npos);
    }
  }
  CHECK(examples >= 1);
}
