#include "tests/differential/mutations.h"

#include <fmt/format.h>
#include <stdlib.h>

#include <filesystem>
#include <optional>
#include <random>
#include <utility>

#include "runtime/bundle/bundle.h"
#include "runtime/types/type_table.h"
#include "tests/differential/decision_compare.h"

namespace doudi::testing {
namespace {

constexpr uint32_t kOpCount = 0
#define OP(name, text, dst, a, b, c, d, flow, doc) +1
#include "runtime/ir/opcodes.def"
#undef OP
    ;

class Mutator {
 public:
  explicit Mutator(uint64_t seed) : rng_(seed) {}
  int64_t pick(int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng_); }

  // One change to the code or the constants of `m`; false when it has none.
  bool mutate(ir::Module& m) {
    std::vector<uint32_t> with_code;
    for (uint32_t f = 0; f < m.functions.size(); ++f)
      if (!m.functions[f].code.empty()) with_code.push_back(f);
    if (with_code.empty()) return false;
    ir::Function& f = m.functions[with_code[static_cast<size_t>(pick(0, static_cast<int64_t>(with_code.size()) - 1))]];
    ir::Inst& in = f.code[static_cast<size_t>(pick(0, static_cast<int64_t>(f.code.size()) - 1))];
    switch (pick(0, 3)) {
      case 0: {  // an operand: a register, a constant, a jump target, a function, a count
        const auto bound = static_cast<int64_t>(std::max({f.regs.size(), m.constants.size(), f.code.size(), m.functions.size()})) + 2;
        const auto v = static_cast<uint32_t>(pick(0, bound));
        switch (pick(0, 4)) {
          case 0: in.dst = v; break;
          case 1: in.a = v; break;
          case 2: in.b = v; break;
          case 3: in.c = v; break;
          default: in.d = v; break;
        }
        return true;
      }
      case 1: in.op = static_cast<ir::Op>(pick(0, kOpCount - 1)); return true;
      case 2: std::swap(in, f.code[static_cast<size_t>(pick(0, static_cast<int64_t>(f.code.size()) - 1))]); return true;
      default: {
        // A number, never a text: a text constant's value is its address in
        // the module, which a bundle cannot carry but as the text itself.
        std::vector<size_t> numbers;
        for (size_t i = 0; i < m.constants.size() && i < m.constant_types.size(); ++i)
          if (m.types.kind(m.types.unwrap(m.constant_types[i])) != TypeKind::Text) numbers.push_back(i);
        if (numbers.empty()) return false;
        Value& c = m.constants[numbers[static_cast<size_t>(pick(0, static_cast<int64_t>(numbers.size()) - 1))]];
        c.a = pick(0, 1) ? c.a + pick(-2, 2) : pick(INT64_MIN, INT64_MAX);
        return true;
      }
    }
  }

 private:
  std::mt19937_64 rng_;
};

}  // namespace

MutationReport mutation_pass(const RuleSet& rules, const std::vector<std::string>& records,
                             const std::vector<DecisionContext>& contexts, uint64_t mutants, uint64_t seed) {
  MutationReport report;
  // Each mutant has a digest of its own: its object code goes to a cache
  // folder made for this pass and removed after it.
  char dir_template[] = "/tmp/doudi-mutants-XXXXXX";
  const char* dir = ::mkdtemp(dir_template);
  if (dir == nullptr) {
    report.failure = "cannot make a cache folder for the mutants under /tmp";
    return report;
  }
  const char* old_cache = std::getenv("DOUDI_CACHE_DIR");
  const std::string saved = old_cache ? old_cache : "";
  ::setenv("DOUDI_CACHE_DIR", dir, 1);
  Mutator mutator(seed);
  Decision x, y;
  // A module cannot be copied; each mutant starts from the rules read back.
  const std::string original = write_bundle(rules.module());
  for (uint64_t k = 0; k < mutants && report.failure.empty(); ++k) {
    std::string digest, parse_error;
    std::optional<ir::Module> fresh = parse_bundle(original, digest, parse_error, nullptr);
    if (!fresh) {
      report.failure = "the rules do not read back from their own bundle: " + parse_error;
      break;
    }
    ir::Module& mutant = *fresh;
    if (!mutator.mutate(mutant)) continue;
    ++report.tried;
    std::vector<Diagnostic> errors;
    auto read_back = RuleSet::from_bundle(write_bundle(mutant), "mutant", errors);
    if (!read_back) {
      ++report.refused;
      continue;
    }
    std::string error;
    auto interp = make_engine(EngineKind::Interpreter, read_back, error);
    auto jit = make_engine(EngineKind::Compiled, read_back, error);
    if (!interp) {
      report.failure = fmt::format("mutant {} (seed {}): the interpreter cannot be made: {}", k, seed, in_lang(error, Lang::En));
      break;
    }
    if (!jit) {
      // Rules nested too deep for the compiled engine's stack (N0415) are
      // the interpreter's by design; any other failure to compile rules the
      // verifier accepted is a fault of the compiled engine.
      if (error.find("too deep for compiled code") != std::string::npos) continue;
      report.failure = fmt::format("mutant {} (seed {}): the compiled engine cannot be made: {}", k, seed, in_lang(error, Lang::En));
      break;
    }
    ++report.compared;
    interp->set_step_budget(100'000);
    jit->set_step_budget(100'000);
    const ir::Module& m = read_back->module();
    for (const auto& context : contexts) {
      interp->set_context(context);
      jit->set_context(context);
      for (const auto& json : records) {
        LoadedRecord record = load_household(*read_back, json);
        if (!record.ok()) continue;
        interp->decide_into(record.data, x);
        jit->decide_into(record.data, y);
        ++report.decisions;
        if (!same_decision(m, x, y)) {
          report.failure = fmt::format("mutant {} (seed {}) disagrees on {}\ninterpreter:\n{}\ncompiled:\n{}", k, seed, json,
                                       describe_decision(m, x), describe_decision(m, y));
          break;
        }
      }
      if (!report.failure.empty()) break;
    }
  }
  if (old_cache) ::setenv("DOUDI_CACHE_DIR", saved.c_str(), 1);
  else ::unsetenv("DOUDI_CACHE_DIR");
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return report;
}

}  // namespace doudi::testing
