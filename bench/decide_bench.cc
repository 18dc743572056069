// Deciding in memory, nothing read or written: the benchmark rule
// (bench/rules/means_test.doudi) by hand in C++ over flat arrays, by the
// interpreter and by every other engine built in, over the same households
// already loaded (held in a Caseload, through Engine::decide_each; and as
// loaded, each record apart, through decide_each and household by
// household with decide_into); then the Huining deployment by each engine. Prints
// nanoseconds per household and each engine's throughput as a fraction of
// the hand-written loop's, measured in this run. Every engine must give the
// hand-written sum of benefits, or the run fails.
//
//   build/bench/decide_bench [households [rounds [interp|jit|both [HUINING.jsonl]]]]
//     (default 200000, 5, both; the Huining part reads households that
//     build/bench/huining_households N FILE wrote, when given)
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <random>
#include <span>

#include "doudi/compiler.h"
#include "doudi/engine.h"

using namespace doudi;
using Clock = std::chrono::steady_clock;

namespace {

// The households as a hand-written program would hold them.
struct Person {
  int64_t salary, pension, other_income;  // 分
};
struct Households {
  std::vector<uint32_t> first;  // first member of household i; first[n] = members.size()
  std::vector<Person> members;
};

Households generate(size_t n) {
  std::mt19937_64 rng(20240301);
  std::uniform_int_distribution<int> count(1, 7), salary(0, 150000), pension(0, 80000), other(0, 30000);
  std::bernoulli_distribution has_pension(0.3), has_other(0.4);
  Households h;
  for (size_t i = 0; i < n; ++i) {
    h.first.push_back(static_cast<uint32_t>(h.members.size()));
    for (int k = count(rng); k > 0; --k) {
      const int s = salary(rng), p = has_pension(rng) ? pension(rng) : 0, o = has_other(rng) ? other(rng) : 0;
      h.members.push_back({s, p, o});
    }
  }
  h.first.push_back(static_cast<uint32_t>(h.members.size()));
  return h;
}

std::string yuan(int64_t fen) { return fmt::format("{}.{:02}", fen / 100, fen % 100); }

std::string household_json(const Households& h, size_t i) {
  std::string out = fmt::format(R"({{"id":{},"members":[)", i + 1);
  for (uint32_t m = h.first[i]; m < h.first[i + 1]; ++m) {
    const Person& p = h.members[m];
    out += fmt::format(R"({}{{"salary":{},"pension":{},"other_income":{}}})", m > h.first[i] ? "," : "",
                       yuan(p.salary), yuan(p.pension), yuan(p.other_income));
  }
  return out + "]}";
}

// a / b rounded half up (a ≥ 0, b > 0).
int64_t div_half_up(int64_t a, int64_t b) { return (2 * a + b) / (2 * b); }

// The rule by hand: parameters looked up once (2024-03: 760 元/月, pension
// excluded at 100 %), then one pass per household.
int64_t decide_by_hand(const Households& h) {
  const int64_t threshold = 76000;
  const int64_t kept_num = 0, kept_den = 1;  // 1 − 100 %
  int64_t total = 0;
  const size_t n = h.first.size() - 1;
  for (size_t i = 0; i < n; ++i) {
    int64_t sum = 0;
    const int64_t count = h.first[i + 1] - h.first[i];
    for (uint32_t m = h.first[i]; m < h.first[i + 1]; ++m) {
      const Person& p = h.members[m];
      sum += p.salary + p.other_income + div_half_up(p.pension * kept_num, kept_den);
    }
    const int64_t per_capita = div_half_up(sum, count);
    total += per_capita < threshold ? (threshold - per_capita) * count : 0;
  }
  return total;
}

// The best of `rounds` timings of `run`, in nanoseconds per household.
double best_ns(size_t rounds, size_t n, const std::function<int64_t()>& run, int64_t& result) {
  double best = 1e300;
  for (size_t r = 0; r < rounds; ++r) {
    const auto t0 = Clock::now();
    result = run();
    best = std::min(best, std::chrono::duration<double, std::nano>(Clock::now() - t0).count() / static_cast<double>(n));
  }
  return best;
}

struct Loaded {
  std::shared_ptr<const RuleSet> rules;
  DecisionContext context;
};

Loaded load(const char* path, const char* jurisdiction, const char* month) {
  CompileOptions options;
  options.import_roots = {DOUDI_SOURCE_DIR "/stdlib-policies"};
  LoadedRules loaded = load_rules(path, options);
  std::vector<Diagnostic> errors;
  if (!loaded.rules) return {};
  auto context = loaded.rules->context(jurisdiction, month, errors);
  if (!context) return {};
  return {loaded.rules, *context};
}

// The same households held two ways: each record apart, as loaded, and
// together in a Caseload (sharing the records' texts: `apart` outlives it).
struct Held {
  std::vector<RecordData> apart;
  Caseload together;
};

Held hold(std::vector<RecordData> records) {
  Held h{std::move(records), {}};
  size_t words = 0;
  for (const auto& r : h.apart) words += r.words.size();
  h.together.reserve(h.apart.size(), words);
  for (const auto& r : h.apart) h.together.add(r.sharing_texts());
  return h;
}

// How the engine goes through them: Engine::decide_each over the Caseload,
// decide_each over the records apart (prefetching), decide_into on each
// record apart in turn.
enum class Way { Caseload, Apart, OneByOne };
constexpr Way kWays[] = {Way::Caseload, Way::Apart, Way::OneByOne};
const char* way_name(Way w) { return w == Way::Caseload ? "" : w == Way::Apart ? ", records apart" : ", one by one"; }

// Sum of output `output` over the households, or the error count negated.
int64_t decide_all(Engine& engine, const Held& held, size_t output, Way way) {
  int64_t total = 0, errors = 0;
  Decision d;
  auto count = [&](size_t, const Decision& decision) {
    if (decision.error) ++errors;
    else total += decision.outputs[output].a;
  };
  if (way == Way::Caseload) engine.decide_each(held.together, d, count);
  else if (way == Way::Apart) engine.decide_each(held.apart, d, count);
  else
    for (const auto& r : held.apart) {
      engine.decide_into(r, d);
      count(0, d);
    }
  return errors ? -errors : total;
}

// The Huining deployment on households from a file: each engine's time per
// household and the compiled engine's speed-up over the interpreter; both
// must give the same sum of 月低保金 and the same error results.
bool huining(const char* path, size_t rounds, int only) {
  const Loaded h = load(DOUDI_SOURCE_DIR "/examples/huining/deployment.doudi", "会宁县", "2022-06");
  if (!h.rules) return false;
  std::vector<RecordData> records;
  std::ifstream in(path);
  if (!in) {
    fmt::print(stderr, "decide_bench: cannot read {} (make it with build/bench/huining_households N FILE)\n", path);
    return false;
  }
  size_t refused = 0;
  for (std::string line; std::getline(in, line);) {
    auto r = load_household(*h.rules, line);
    if (r.ok()) records.push_back(std::move(r.data));
    else ++refused;
  }
  if (records.empty()) {
    fmt::print(stderr, "decide_bench: no Huining household in {} ({} lines refused)\n", path, refused);
    return false;
  }
  const auto& outputs = h.rules->module().outputs;
  size_t amount = 0;
  while (amount < outputs.size() && outputs[amount].name != "月低保金") ++amount;
  // Twice: over every household (each record read from memory, as a
  // replay over a stored table would), and over the first kHot households
  // again and again (the records in the CPU's caches, as in `batch`, which
  // decides each record right after reading it).
  // Both held in a Caseload; the first kHot share the texts of `all`'s.
  constexpr size_t kHot = 200;
  std::vector<RecordData> first_ones;
  for (size_t i = 0; i < std::min(kHot, records.size()); ++i) first_ones.push_back(records[i].sharing_texts());
  const Held all = hold(std::move(records)), hot = hold(std::move(first_ones));
  bool same = true;
  for (const bool cached : {false, true}) {
    const Held& set = cached ? hot : all;
    const size_t n = set.apart.size();
    fmt::print("Huining deployment, {} households in memory{}\n", n, cached ? ", in the CPU's caches" : "");
    const size_t set_rounds = cached ? rounds * std::max<size_t>(1, all.apart.size() / n) : rounds;
    double interp_ns = 0;
    int64_t first = 0;
    bool have_first = false;
    for (EngineKind kind : {EngineKind::Interpreter, EngineKind::Compiled}) {
      if (only >= 0 && static_cast<int>(kind) != only) continue;
      std::string error;
      auto engine = make_engine(kind, h.rules, error);
      if (!engine) {
        fmt::print("  {:<14} not available: {}\n", engine_name(kind), in_lang(error, Lang::En));
        continue;
      }
      engine->set_context(h.context);
      int64_t sum = 0;
      const double ns = best_ns(set_rounds, n, [&] { return decide_all(*engine, set, amount, Way::Caseload); }, sum);
      if (kind == EngineKind::Interpreter) interp_ns = ns;
      fmt::print("  {:<14} {:>9.1f} ns/household {:>12.0f} households/s{}\n", engine_name(kind), ns, 1e9 / ns,
                 kind == EngineKind::Compiled && interp_ns > 0 ? fmt::format("  {:.1f} × the interpreter", interp_ns / ns)
                                                              : "");
      if (have_first && sum != first) {
        fmt::print("  DIFFERENT RESULT {} (expected {})\n", sum, first);
        same = false;
      }
      first = sum;
      have_first = true;
    }
  }
  return same;
}

}  // namespace

int main(int argc, char** argv) {
  const size_t n = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 200000;
  const size_t rounds = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 5;
  // One engine only, or both (any other word).
  const int only = argc > 3 && engine_named(argv[3]) ? static_cast<int>(*engine_named(argv[3])) : -1;
  const char* huining_file = argc > 4 ? argv[4] : nullptr;
  const Households h = generate(n);
  const Loaded means = load(DOUDI_SOURCE_DIR "/bench/rules/means_test.doudi", "bench", "2024-03");
  if (!means.rules) {
    fmt::print(stderr, "bench/rules/means_test.doudi does not compile\n");
    return 1;
  }
  std::vector<RecordData> records;
  records.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto r = load_household(*means.rules, household_json(h, i));
    if (!r.ok()) return 1;
    records.push_back(std::move(r.data));
  }
  const Held held = hold(std::move(records));
  size_t benefit = 0;
  while (benefit < means.rules->module().outputs.size() && means.rules->module().outputs[benefit].name != "benefit")
    ++benefit;

  int64_t expected = 0, got = 0;
  const double hand = best_ns(rounds, n, [&] { return decide_by_hand(h); }, expected);
  fmt::print("benchmark rule, {} households in memory (mean {:.2f} members), best of {} rounds\n", n,
             static_cast<double>(h.members.size()) / static_cast<double>(n), rounds);
  fmt::print("  {:<22} {:>9.1f} ns/household {:>12.0f} households/s  1.000 × hand-written\n", "hand-written", hand,
             1e9 / hand);
  bool same = true;
  for (EngineKind kind : {EngineKind::Interpreter, EngineKind::Compiled}) {
    if (only >= 0 && static_cast<int>(kind) != only) continue;
    const std::string name(engine_name(kind));
    std::string error;
    const auto t0 = Clock::now();
    auto engine = make_engine(kind, means.rules, error);
    if (!engine) {
      fmt::print("  {:<22} not available: {}\n", name, in_lang(error, Lang::En));
      continue;
    }
    const double make_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    if (kind == EngineKind::Compiled) fmt::print("  (compiled engine ready in {:.1f} ms)\n", make_ms);
    engine->set_context(means.context);
    for (const Way way : kWays) {
      const double ns = best_ns(rounds, n, [&] { return decide_all(*engine, held, benefit, way); }, got);
      const std::string label = name + way_name(way);
      fmt::print("  {:<22} {:>9.1f} ns/household {:>12.0f} households/s  {:.3f} × hand-written{}\n", label, ns,
                 1e9 / ns, hand / ns, got == expected ? "" : fmt::format("  WRONG SUM {} (expected {})", got, expected));
      same = same && got == expected;
    }
  }
  if (huining_file) same = huining(huining_file, rounds, only) && same;
  return same ? 0 : 1;
}
