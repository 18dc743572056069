// Golden cases: files under tests/golden/ and tests/check/ that state a doudi command and the
// exact output it must print, so expectations live next to the input.
//
//   *.doudi    `#> ARGS` lines give the command (default: check FILE) and
//              `#! ` lines the expected output (stderr then stdout).
//   *.golden   first line `#> ARGS`, the rest is the expected output.
//
// `FILE` in ARGS stands for the case's own path. Paths are relative to the
// repository root. Set DOUDI_UPDATE_GOLDEN=1 to rewrite the expectations
// from the current output (then review the diff).
#pragma once
#include <string>
#include <vector>

namespace doudi::golden {

struct Case {
  std::string path;         // relative to the repository root
  std::vector<std::string> args;
  std::string expected;
  int expected_exit = -1;   // `#= N` line, or -1 for "don't care"
  std::vector<std::pair<std::string, std::string>> env;  // `#$ NAME=VALUE` lines: set while the case runs
};

std::vector<Case> load_cases(const std::string& root);
std::string run_case(const Case& c, int& exit_code);
void update_case(const Case& c, const std::string& actual);

}  // namespace doudi::golden
