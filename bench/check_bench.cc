// How long `doudi check` takes on the whole standard library (parse, types,
// constraints over every jurisdiction and date, exception conflicts with Z3),
// proving everything on one thread, on every core, and answering from a warm
// proof cache; the ratios compare the three within one run.
//
//   build/bench/check_bench [runs]   (default 5)
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "runtime/source/usable_cores.h"
#include "tools/cli/cli.h"

namespace {

struct Figures {
  double median, min, max;
};

// Runs `doudi check OPTIONS stdlib-policies` `runs` times; exits on a failed check.
Figures time_check(std::vector<std::string> options, int runs) {
  std::vector<double> seconds;
  options.insert(options.begin(), "check");
  options.push_back("stdlib-policies");
  for (int i = 0; i < runs; ++i) {
    std::ostringstream out, err;
    const auto t0 = std::chrono::steady_clock::now();
    const int rc = doudi::run_cli(options, out, err);
    seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    if (rc != 0) {
      fmt::print(stderr, "check failed:\n{}", err.str());
      std::exit(1);
    }
  }
  std::sort(seconds.begin(), seconds.end());
  return {seconds[seconds.size() / 2], seconds.front(), seconds.back()};
}

void print(const char* what, const Figures& f, int runs) {
  fmt::print("  {:<34} median {:.3f} s, min {:.3f} s, max {:.3f} s over {} runs\n", what, f.median, f.min, f.max, runs);
}

}  // namespace

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
  std::filesystem::current_path(DOUDI_SOURCE_DIR);
  const unsigned cores = doudi::usable_cores();
  const auto cache = std::filesystem::temp_directory_path() / "doudi_check_bench_cache";
  std::filesystem::remove_all(cache);
  const Figures serial = time_check({"--no-cache", "--jobs", "1"}, runs);
  const Figures parallel = time_check({"--no-cache", "--jobs", std::to_string(cores)}, runs);
  time_check({"--cache-dir", cache.string()}, 1);  // fills the cache
  const Figures warm = time_check({"--cache-dir", cache.string()}, runs);
  std::filesystem::remove_all(cache);
  fmt::print("doudi check stdlib-policies (target: under 10 s)\n");
  print("proving everything, 1 thread:", serial, runs);
  print(fmt::format("proving everything, {} threads:", cores).c_str(), parallel, runs);
  print("warm proof cache:", warm, runs);
  fmt::print("  ratios of medians: {} threads / 1 thread = {:.2f}; warm cache / {} threads = {:.2f}\n", cores,
             parallel.median / serial.median, cores, warm.median / parallel.median);
  return 0;
}
