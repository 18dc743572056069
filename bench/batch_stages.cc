// Where one thread of `doudi batch` spends its time per record, stage by
// stage: reading the record, deciding, building the log entry, hashing its
// line, and chaining it into the log. Prints nanoseconds per record for
// each, measured in one run. By default the benchmark rule
// (bench/rules/means_test.doudi) on the households `means_baseline gen`
// writes; or any module (stdlib-policies on the import path), for instance
// the Huining deployment on `huining_households`.
//
//   build/bench/batch_stages FILE.jsonl [records [MODULE JURISDICTION MONTH]]   (default 200000)
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "doudi/compiler.h"
#include "runtime/log/decision_log.h"
#include "runtime/log/log_entry.h"
#include "runtime/record/record_json.h"
#include "runtime/record/record_loader.h"

using namespace doudi;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  if (argc < 2) {
    fmt::print(stderr, "usage: batch_stages FILE.jsonl [records]\n");
    return 2;
  }
  const size_t limit = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 200000;
  const bool own = argc > 5;
  CompileOptions options;
  options.import_roots = {DOUDI_SOURCE_DIR "/stdlib-policies"};
  LoadedRules loaded = load_rules(own ? argv[3] : DOUDI_SOURCE_DIR "/bench/rules/means_test.doudi", options);
  if (!loaded.rules) return 1;
  std::vector<Diagnostic> errors;
  const auto context = loaded.rules->context(own ? argv[4] : "bench", own ? argv[5] : "2024-03", errors);
  if (!context) return 1;
  const ir::Module& m = loaded.rules->module();

  std::vector<std::string> lines;
  {
    std::ifstream in(argv[1]);
    std::string line;
    while (lines.size() < limit && std::getline(in, line)) lines.push_back(line + std::string(64, ' '));
  }
  const size_t n = lines.size();
  RecordReader reader(m);
  Interpreter interp(m);
  interp.set_context(context->jurisdiction, context->month);
  // A key, as a schema with 敏感 fields needs one.
  std::optional<LogKey> key;
  if (has_sensitive_fields(m)) key.emplace(std::string(40, 'k'));
  double t_load = 0, t_decide = 0, t_entry = 0, t_prepare = 0, t_chain = 0;
  const char* path = "/tmp/doudi-batch-stages.log";
  std::remove(path);
  std::string error;
  auto log = DecisionLog::open(path, false, error);
  if (!log) return 1;
  LogContext context_line;
  context_line.batch = "0123456789abcdef";
  context_line.month = "2024-03";
  context_line.jurisdiction = "bench";
  context_line.bundle = loaded.rules->digest();
  describe_schema(context_line, m);
  log->begin(context_line);
  for (size_t i = 0; i < n; ++i) {
    const std::string_view json(lines[i].data(), lines[i].size() - 64);
    auto t0 = Clock::now();
    const LoadedRecord& record = reader.load(json, lines[i].size());
    auto t1 = Clock::now();
    const Decision d = interp.decide(record.data);
    auto t2 = Clock::now();
    if (!record.ok()) {
      fmt::print(stderr, "record {} does not load\n", i + 1);
      return 1;
    }
    LogFields f = decided_entry(m, record.data, d, key);
    f.index = static_cast<int64_t>(i);
    auto t3 = Clock::now();
    const PreparedEntry e = prepare_decision(i + 2, 1, f);
    auto t4 = Clock::now();
    log->append(e);
    auto t5 = Clock::now();
    t_load += std::chrono::duration<double>(t1 - t0).count();
    t_decide += std::chrono::duration<double>(t2 - t1).count();
    t_entry += std::chrono::duration<double>(t3 - t2).count();
    t_prepare += std::chrono::duration<double>(t4 - t3).count();
    t_chain += std::chrono::duration<double>(t5 - t4).count();
  }
  log.reset();
  std::remove(path);
  auto ns = [&](double s) { return s * 1e9 / static_cast<double>(n); };
  fmt::print("records                         {}\n", n);
  fmt::print("read (RecordReader)         {:8.0f} ns/record\n", ns(t_load));
  fmt::print("decide (interpreter)        {:8.0f} ns/record\n", ns(t_decide));
  fmt::print("entry (decided_entry)       {:8.0f} ns/record\n", ns(t_entry));
  fmt::print("line + leaf (prepare)       {:8.0f} ns/record\n", ns(t_prepare));
  fmt::print("chain + write (append)      {:8.0f} ns/record\n", ns(t_chain));
  fmt::print("total on one thread         {:8.0f} ns/record\n", ns(t_load + t_decide + t_entry + t_prepare + t_chain));
  return 0;
}
