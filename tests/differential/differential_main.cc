// The interpreter and the compiled engine on the same random records: every
// output, flag and error result must agree bit for bit (texts by content:
// a text value is an address). Each record is decided in a random
// jurisdiction of the module and a random month.
//
//   differential [--records N] [--seed S] [--mutants K] [-I DIR]... MODULE.doudi...
//
// --mutants K also decides K random mutants of each module's IR that the
// verifier accepts (tests/differential/mutations.h): crafted rules must not
// make the engines disagree or crash.
//
// Prints records, error results and rejected records per module; exits 1
// at the first disagreement, printing the record, its context and both
// decisions. ctest runs a short pass; bench/differential.sh the long one.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "doudi/compiler.h"
#include "doudi/engine.h"
#include "runtime/record/record_json.h"
#include "runtime/record/record_loader.h"
#include "runtime/value/calendar.h"
#include "tests/differential/decision_compare.h"
#include "tests/differential/mutations.h"
#include "tests/differential/record_generator.h"

using namespace doudi;


int main(int argc, char** argv) {
  uint64_t records = 10000, seed = 1, mutants = 0;
  CompileOptions options;
  std::vector<std::string> modules;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--records" && i + 1 < argc) records = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "--seed" && i + 1 < argc) seed = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "--mutants" && i + 1 < argc) mutants = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "-I" && i + 1 < argc) options.import_roots.push_back(argv[++i]);
    else modules.push_back(a);
  }
  if (modules.empty()) {
    fmt::print(stderr, "usage: differential [--records N] [--seed S] [--mutants K] [-I DIR]... MODULE.doudi...\n");
    return 2;
  }
  uint64_t total = 0, mutants_compared = 0;
  const auto start = std::chrono::steady_clock::now();
  for (const auto& path : modules) {
    LoadedRules loaded = load_rules(path, options);
    if (!loaded.rules) {
      fmt::print(stderr, "{}: does not compile\n", path);
      return 2;
    }
    const ir::Module& m = loaded.rules->module();
    std::string error;
    auto interp = make_engine(EngineKind::Interpreter, loaded.rules, error);
    auto jit = make_engine(EngineKind::Compiled, loaded.rules, error);
    if (!jit) {
      fmt::print(stderr, "{}: the compiled engine is not available: {}\n", path, in_lang(error, Lang::En));
      return 2;
    }
    DecisionContext context;
    Decision x, y;
    testing::RecordGenerator generator(m, seed);
    RecordReader batch_reader(m);  // the batch's reader, which must read every record as load_household does
    std::string padded;
    std::mt19937_64 rng(seed);
    auto pick = [&](int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); };
    // Contexts where decisions get past the parameters: a jurisdiction some
    // value is set for and a month where a quarter of a few records decide
    // without E1005 (the policies leave values open until a deployment
    // sets them, from its own dates).
    std::vector<DecisionContext> usual;
    {
      std::vector<uint32_t> valued;
      for (const auto& p : m.params)
        for (const auto& v : p.values)
          if (v.jurisdiction != UINT32_MAX && std::find(valued.begin(), valued.end(), v.jurisdiction) == valued.end())
            valued.push_back(v.jurisdiction);
      testing::RecordGenerator probe(m, seed + 1);
      std::vector<LoadedRecord> samples;
      for (int k = 0; k < 16; ++k) samples.push_back(load_household(*loaded.rules, probe.next()));
      for (uint32_t j : valued)
        for (int32_t year = 2015; year <= 2030; ++year)
          for (uint32_t month = 1; month <= 12; month += 1) {
            DecisionContext c;
            c.jurisdiction = j;
            c.month = year_month_of(year, month);
            interp->set_context(c);
            int decided = 0;
            for (const auto& r : samples) {
              if (!r.ok()) continue;
              interp->decide_into(r.data, x);
              decided += !x.error || x.error->code != DiagCode::E1005;
            }
            if (decided >= 4) usual.push_back(c);
          }
    }
    uint64_t errors = 0, rejected = 0;
    std::map<std::string, uint64_t> codes;
    std::string first_rejected;
    // The records of one context decided on the whole budget, held
    // together: the compiled engine decides them again from a Caseload, in
    // runs (Engine::decide_each), before the context changes.
    Caseload held;
    std::vector<Decision> held_expected;
    std::vector<std::string> held_json;
    auto check_held = [&]() {
      bool same = true;
      size_t seen = 0;
      jit->set_step_budget(Interpreter::kStepBudget);
      jit->decide_each(held, y, [&](size_t k, const Decision& d) {
        if (k != seen++) {
          fmt::print(stderr, "{}: decide_each over a Caseload gave household {} where {} was due\n", path, k, seen - 1);
          same = false;
        }
        if (!same || testing::same_decision(m, held_expected[k], d)) return;
        same = false;
        fmt::print(stderr, "{}: decided from a Caseload, the compiled engine disagrees on (seed {}):\n{}\n", path, seed,
                   held_json[k]);
        fmt::print(stderr, "interpreter:\n{}\ncompiled:\n{}\n", testing::describe_decision(m, held_expected[k]),
                   testing::describe_decision(m, d));
      });
      if (same && seen != held.size()) {
        fmt::print(stderr, "{}: decide_each over a Caseload gave {} of its {} households\n", path, seen, held.size());
        same = false;
      }
      held = Caseload{};
      held_expected.clear();
      held_json.clear();
      return same;
    };
    for (uint64_t i = 0; i < records; ++i) {
      // A new context every 20 records: mostly a usual one; now and then
      // any jurisdiction, or none, and any month (the error results must
      // agree too).
      if (i % 20 == 0) {
        if (!check_held()) return 1;
        if (!usual.empty() && pick(0, 9) != 0) {
          context = usual[pick(0, static_cast<int64_t>(usual.size()) - 1)];
        } else {
          const auto nj = static_cast<int64_t>(m.jurisdictions.size());
          const int64_t j = pick(0, nj);
          context.jurisdiction = j == nj ? UINT32_MAX : static_cast<uint32_t>(j);
          context.month = year_month_of(static_cast<int32_t>(pick(2015, 2030)), static_cast<uint32_t>(pick(1, 12)));
        }
        interp->set_context(context);
        jit->set_context(context);
      }
      const std::string json = generator.next();
      LoadedRecord record = load_household(*loaded.rules, json);
      padded.assign(json).append(64, ' ');
      const LoadedRecord& batch_read = batch_reader.load(std::string_view(padded).substr(0, json.size()), padded.size());
      if (batch_read.ok() != record.ok() ||
          (record.ok() && record_to_json(m, batch_read.data, nullptr) != record_to_json(m, record.data, nullptr))) {
        fmt::print(stderr, "{}: the batch's reader reads record {} (seed {}) otherwise:\n{}\n", path, i, seed, json);
        return 1;
      }
      if (!record.ok()) {
        if (first_rejected.empty()) first_rejected = json;
        ++rejected;
        continue;
      }
      // One record in ten with a small step budget: both engines must count
      // calls and rounds of loops alike, and stop at the same place (E1008).
      const bool small_budget = i % 10 == 5;
      const uint64_t budget = small_budget ? static_cast<uint64_t>(pick(1, 400)) : Interpreter::kStepBudget;
      interp->set_step_budget(budget);
      jit->set_step_budget(budget);
      interp->decide_into(record.data, x);
      jit->decide_into(record.data, y);
      if (!testing::same_decision(m, x, y)) {
        if (small_budget) fmt::print(stderr, "(with a step budget of {})\n", budget);
        fmt::print(stderr, "{}: the engines disagree on record {} (seed {}), jurisdiction {}, month {}:\n{}\n",
                   path, i, seed, context.jurisdiction < m.jurisdictions.size() ? m.jurisdictions[context.jurisdiction].name : "(none)",
                   format_year_month(context.month), json);
        fmt::print(stderr, "interpreter:\n{}\ncompiled:\n{}\n", testing::describe_decision(m, x), testing::describe_decision(m, y));
        return 1;
      }
      if (!small_budget) {
        held_expected.push_back(x);
        held_json.push_back(json);
        held.add(std::move(record.data));
      }
      if (x.error) {
        ++errors;
        if (++codes[diag_info(x.error->code).code] % 100 == 1 && std::getenv("DOUDI_DIFFERENTIAL_VERBOSE"))
          fmt::print("  first {}\n", testing::describe_decision(m, x));
      }
    }
    if (!check_held()) return 1;
    total += records - rejected;
    std::string by_code;
    for (const auto& [code, n] : codes) by_code += fmt::format(" {} {}", code, n);
    fmt::print("{}: {} records agree ({} error results:{}), {} rejected by the loader\n", path, records - rejected,
               errors, by_code, rejected);
    // A generator that writes records the loader rejects tests nothing.
    if (rejected * 100 > records) {
      fmt::print(stderr, "{}: too many generated records rejected; the first:\n{}\n", path, first_rejected);
      return 1;
    }
    if (mutants > 0) {
      std::vector<std::string> sample;
      testing::RecordGenerator mutant_records(m, seed + 2);
      for (int k = 0; k < 20; ++k) sample.push_back(mutant_records.next());
      std::vector<DecisionContext> contexts(usual.begin(), usual.begin() + std::min<size_t>(usual.size(), 2));
      if (contexts.empty()) contexts.push_back(context);
      const auto r = testing::mutation_pass(*loaded.rules, sample, contexts, mutants, seed);
      mutants_compared += r.compared;
      fmt::print("{}: {} mutants, {} refused when read back, {} decided by both ({} decisions agree)\n", path, r.tried,
                 r.refused, r.compared, r.decisions);
      if (!r.failure.empty()) {
        fmt::print(stderr, "{}: {}\n", path, r.failure);
        return 1;
      }
    }
  }
  // Mutants every one of which the verifier refused test the verifier, not
  // the engines.
  if (mutants > 0 && mutants_compared == 0) {
    fmt::print(stderr, "no mutant was decided by both engines\n");
    return 1;
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fmt::print("{} records, all agree, in {:.1f} s\n", total, secs);
  return 0;
}
