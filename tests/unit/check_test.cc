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
  size_t examples = 0, nowhere = 0;
  for (const auto& entry : fs::directory_iterator("tests/check")) {
    const std::string file = entry.path().string();
    if (entry.path().extension() != ".doudi") continue;
    std::ostringstream out, err;
    doudi::run_cli({"--lang", "en", "--color", "never", "check", "--no-cache", "-I", "stdlib-policies", file}, out, err);
    const std::string text = err.str() + out.str();
    static const std::regex kExample(
        R"(error\[(E500[23])\][^\n]*\n(?:[^\n]*\n)*?  = note\[N0406\]: for example in `([^`]+)`, (\d{4}-\d{2}), this household \([^)]*\): (\{.*\})\n)");
    for (std::sregex_iterator it(text.begin(), text.end(), kExample), end; it != end; ++it) {
      ++examples;
      // A conflict shows E1003 at run time; a gap E1004.
      const std::string expected = (*it)[1].str() == "E5002" ? "[E1003]" : "[E1004]";
      const fs::path record = fs::temp_directory_path() / "doudi_counterexample.json";
      std::ofstream(record) << (*it)[4].str();
      // Rules that declare no jurisdiction were searched where only the
      // declarations' values hold: run them in a copy with one empty
      // jurisdiction, which is exactly that.
      std::string module = file, jurisdiction = (*it)[2].str();
      if (jurisdiction.rfind("any jurisdiction without values of its own", 0) == 0) {
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
                                     (*it)[3].str(), record.string()},
                                    run_out, run_err);
      INFO(file, "\n", run_err.str(), run_out.str());
      CHECK(rc == 3);
      CHECK(run_err.str().find(expected) != std::string::npos);
    }
  }
  CHECK(examples >= 2);
  CHECK(nowhere >= 1);
}
