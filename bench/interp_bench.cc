// Interpreter throughput on the Huining demo policy, with synthetic
// households. Prints records per second for loading JSON, deciding without a
// trace and deciding with a trace, and the ratios between them, all measured
// in one run on one machine.
//
//   build/bench/interp_bench [records]   (default 20000)
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <random>

#include "doudi/compiler.h"
#include "runtime/interp/interpreter.h"
#include "runtime/record/record_loader.h"
#include "runtime/value/calendar.h"

using namespace doudi;
using Clock = std::chrono::steady_clock;

namespace {

std::string household(std::mt19937_64& rng) {
  std::uniform_int_distribution<int> members(1, 6), age(1, 90), wage(0, 300000), grade(0, 6);
  std::string out = R"({"户籍": "城市", "财产符合规定": true, "申请单人户": true, "成员": [)";
  const int n = members(rng);
  for (int i = 0; i < n; ++i) {
    const int g = grade(rng);
    out += fmt::format(R"({}{{"年龄": {}, "工资性收入": {}.{:02}{}}})", i ? ", " : "", age(rng), wage(rng) / 100,
                       wage(rng) % 100, g >= 1 && g <= 4 ? fmt::format(R"(, "残疾类别": "肢体", "残疾等级": {})", g) : "");
  }
  return out + "]}";
}

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

}  // namespace

int main(int argc, char** argv) {
  const size_t n = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 20000;
  // The README's module: the policy with a county's values (the policy
  // alone leaves them open, and every decision would be an error result).
  CompileOptions options;
  options.import_roots = {DOUDI_SOURCE_DIR "/stdlib-policies"};
  LoadedRules loaded = load_rules(DOUDI_SOURCE_DIR "/examples/huining/deployment.doudi", options);
  if (!loaded.rules) {
    fmt::print(stderr, "the Huining deployment does not compile\n");
    return 1;
  }
  const ir::Module& m = loaded.rules->module();

  std::mt19937_64 rng(42);
  std::vector<std::string> json;
  for (size_t i = 0; i < n; ++i) json.push_back(household(rng));

  auto t0 = Clock::now();
  std::vector<RecordData> records;
  records.reserve(n);
  for (const auto& j : json) {
    auto r = load_record_json(m, j);
    if (!r.ok()) {
      fmt::print(stderr, "generated record rejected\n");
      return 1;
    }
    records.push_back(std::move(r.data));
  }
  const double load_s = seconds_since(t0);

  Interpreter interp(m);
  interp.set_context(m.find_jurisdiction("会宁县"), *parse_year_month("2022-06"));
  int64_t checksum = 0;
  size_t errors = 0;
  t0 = Clock::now();
  for (const auto& r : records) {
    const Decision d = interp.decide(r);
    if (d.error) ++errors;
    else checksum += d.outputs.back().a;
  }
  const double decide_s = seconds_since(t0);

  t0 = Clock::now();
  for (const auto& r : records) {
    TraceRecorder trace;
    const Decision d = interp.decide(r, &trace);
    checksum -= d.error ? 0 : d.outputs.back().a;
  }
  const double trace_s = seconds_since(t0);

  fmt::print("records: {} (error results: {}, checksum {} should be 0)\n", n, errors, checksum);
  fmt::print("load JSON:          {:>12.0f} records/s\n", n / load_s);
  fmt::print("decide (no trace):  {:>12.0f} records/s\n", n / decide_s);
  fmt::print("decide (trace):     {:>12.0f} records/s\n", n / trace_s);
  fmt::print("ratio decide/load:  {:>12.2f}\n", load_s / decide_s);
  fmt::print("trace overhead:     {:>12.2f}x\n", trace_s / decide_s);
  return checksum == 0 && errors == 0 ? 0 : 1;
}
