// How long `doudi check` takes on the whole standard library (parse, types,
// constraints over every jurisdiction and date, exception conflicts with Z3).
//
//   build/bench/check_bench [runs]   (default 5)
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <vector>

#include "tools/cli/cli.h"

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::atoi(argv[1]) : 5;
  std::filesystem::current_path(DOUDI_SOURCE_DIR);
  std::vector<double> seconds;
  for (int i = 0; i < runs; ++i) {
    std::ostringstream out, err;
    const auto t0 = std::chrono::steady_clock::now();
    const int rc = doudi::run_cli({"check", "stdlib-policies"}, out, err);
    seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    if (rc != 0) {
      fmt::print(stderr, "check failed:\n{}", err.str());
      return 1;
    }
  }
  std::sort(seconds.begin(), seconds.end());
  fmt::print("doudi check stdlib-policies: median {:.3f} s, min {:.3f} s, max {:.3f} s over {} runs (target: under 10 s)\n",
             seconds[seconds.size() / 2], seconds.front(), seconds.back(), runs);
  return 0;
}
