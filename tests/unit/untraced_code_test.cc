// The interpreter's untraced code (runtime/interp/untraced_code.h) inlines
// small functions, with and without arguments (the latter with their
// memo), and is then simplified (simplified_code.h); a traced decision runs
// the module's code call by call. On every step budget the two must give
// the same decision: the same outputs, or the same error result at the
// same place — so the inlined code counts each step where the call counted
// it.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <initializer_list>
#include <string>

#include "doudi/compiler.h"
#include "doudi/engine.h"
#include "runtime/bundle/bundle.h"
#include "runtime/interp/dispatch_code.h"
#include "runtime/interp/interpreter.h"
#include "runtime/interp/untraced_code.h"
#include "runtime/ir/verify.h"

using namespace doudi;

namespace {

// A function with a loop (a jump back inside the inlined body) and one
// with a branch, each called once per member; the second fails (E1006)
// for a member without children.
constexpr char kRules[] = R"(language en
module test.inlined
struct person {
  age : int
  income : yuan/month
  kids : list<int>
}
struct household {
  members : list<person>
}
input household : household
jurisdiction here {}
define weight(person p) : int =
  if p.age < 18 then 1 else (sum k in p.kids : k) [t]
define oldest_kid(person p) : int =
  max k in p.kids : k [t]
rule total : int
  default = sum p in household.members : weight(p) [t]
rule oldest : int
  default = max p in household.members : oldest_kid(p) [t]
rule income : yuan/month
  default = sum p in household.members : p.income [t]
define base_income : yuan/month =
  sum p in household.members : p.income [t]
rule support : yuan/month
  default = if base_income < 300 yuan/month then 300 yuan/month - base_income else 0 yuan/month [t]
rule kept : yuan/month
  default = base_income + base_income [t]
)";

constexpr const char* kHouseholds[] = {
    R"({"members": [{"age": 40, "income": 100, "kids": [3, 7, 12]}, {"age": 9, "income": 0, "kids": [1]},
                    {"age": 38, "income": 250.50, "kids": [5, 2]}]})",
    R"({"members": [{"age": 40, "income": 100, "kids": [3]}, {"age": 70, "income": 80, "kids": []}]})",
    R"({"members": [{"age": 15, "income": 20, "kids": []}]})"};

// A rule chain the untraced code makes one straight piece of: the rule's
// dispatch, its default, a memoized definition and a member's function,
// each inlined; the loop's comparison fused with its branch.
constexpr char kChain[] = R"(language en
module test.simplified
struct person {
  age : int
  income : yuan/month
}
struct household {
  members : list<person>
}
input household : household
jurisdiction here {}
define counted(person p) : yuan/month =
  p.income + p.income [t]
define total_income : yuan/month =
  sum p in household.members : counted(p) [t]
rule income : yuan/month
  default = total_income [t]
)";

constexpr const char* kChainHouseholds[] = {
    R"({"members": [{"age": 40, "income": 100}, {"age": 9, "income": 0}, {"age": 38, "income": 250.50}]})",
    R"({"members": []})"};

// On every step budget from 1 to 120, untraced and traced decisions of
// each household are the same; small budgets run out, large ones do not.
// Both untraced codes: an interpreter's first untraced decision runs the
// decoded code (a fresh interpreter per budget), the ones after it the
// untraced code, made when the second begins (runtime/interp/interpreter.h).
void decides_alike_on_every_budget(const char* file, const char* rules, std::initializer_list<const char*> households) {
  const auto loaded = load_source_rules(file, rules);
  REQUIRE(loaded.rules);
  std::vector<Diagnostic> errors;
  const auto context = loaded.rules->context("here", "2024-03", errors);
  REQUIRE(context);
  const ir::Module& m = loaded.rules->module();
  Interpreter warm(m);
  warm.set_context(context->jurisdiction, context->month);
  auto shown = [&](const Decision& d) { return decision_json(m, "here", context->month, d, Lang::En); };
  for (const char* json : households) {
    LoadedRecord r = load_household(*loaded.rules, json);
    REQUIRE(r.ok());
    size_t refused = 0;
    for (uint64_t budget = 1; budget <= 120; ++budget) {
      INFO("budget ", budget, " ", json);
      Interpreter fresh(m);
      fresh.set_context(context->jurisdiction, context->month);
      fresh.set_step_budget(budget);
      const Decision first = fresh.decide(r.data);
      CHECK(!fresh.untraced_code_made());
      warm.set_step_budget(budget);
      const Decision untraced = warm.decide(r.data);
      CHECK(warm.untraced_code_made() == (json != *households.begin() || budget > 1));
      TraceRecorder trace;
      const Decision traced = warm.decide(r.data, &trace);
      CHECK(shown(first) == shown(traced));
      CHECK(shown(untraced) == shown(traced));
      refused += untraced.error && untraced.error->code == DiagCode::E1008;
    }
    CHECK(refused >= 1);
    CHECK(refused < 120);
  }
  CHECK(warm.untraced_code_made());
}

// Every function's untraced code, as the interpreter makes it.
std::vector<interp::UntracedCode> untraced_of(const ir::Module& m) {
  std::vector<std::vector<ir::Inst>> code;
  interp::ZeroedRegisters zeroed(m.functions.size());
  for (uint32_t f = 0; f < m.functions.size(); ++f) {
    code.push_back(interp::decoded_code(m, f));
    for (uint32_t r : ir::read_before_written(m, f))
      zeroed[f].emplace_back(r, interp::zero_of(m.types.kind(m.functions[f].regs[r])));
  }
  return interp::untraced_codes(m, code, zeroed);
}

uint32_t function_named(const ir::Module& m, const std::string& name) {
  for (uint32_t f = 0; f < m.functions.size(); ++f)
    if (m.functions[f].name == name) return f;
  FAIL("no function ", name);
  return 0;
}

size_t count_op(const interp::UntracedCode& u, uint8_t op) {
  return static_cast<size_t>(
      std::count_if(u.code.begin(), u.code.end(), [&](const ir::Inst& in) { return static_cast<uint8_t>(in.op) == op; }));
}

}  // namespace

TEST_CASE("untraced and traced, the interpreter decides alike on every step budget") {
  SUBCASE("calls of small functions, with and without arguments") {
    decides_alike_on_every_budget("inlined.doudi", kRules, {kHouseholds[0], kHouseholds[1], kHouseholds[2]});
  }
  SUBCASE("a rule chain made one piece") {
    decides_alike_on_every_budget("chain.doudi", kChain, {kChainHouseholds[0], kChainHouseholds[1]});
  }
}

TEST_CASE("a small function's calls are inlined into the untraced code, in one block of registers") {
  const auto loaded = load_source_rules("inlined.doudi", kRules);
  REQUIRE(loaded.rules);
  const ir::Module& m = loaded.rules->module();
  const uint32_t weight = function_named(m, "weight"), total = function_named(m, "total#default");
  const interp::UntracedCode untraced = untraced_of(m)[total];
  size_t steps = 0, calls = 0;
  for (const auto& in : untraced.code) {
    steps += static_cast<uint8_t>(in.op) == interp::kOpStep;
    calls += in.op == ir::Op::Call && in.a == weight;
    CHECK(in.op != ir::Op::Iteration);
  }
  CHECK(steps == 1);
  CHECK(calls == 0);
  CHECK(untraced.frame == m.functions[total].regs.size() + m.functions[weight].regs.size());
}

TEST_CASE("a rule chain's untraced code: no call, no copy, a memo per memoized function, a fused loop test") {
  const auto loaded = load_source_rules("chain.doudi", kChain);
  REQUIRE(loaded.rules);
  const ir::Module& m = loaded.rules->module();
  const interp::UntracedCode rule = untraced_of(m)[function_named(m, "income")];
  // income → income#default → total_income (memoized, each entered once)
  // → counted (a member's, inlined where its argument was moved from, its
  // result computed into the sum's operand).
  CHECK(count_op(rule, static_cast<uint8_t>(ir::Op::Call)) == 0);
  CHECK(count_op(rule, static_cast<uint8_t>(ir::Op::Mov)) == 0);
  CHECK(count_op(rule, interp::kOpMemoEnter) == 2);
  CHECK(count_op(rule, interp::kOpMemoLeave) == 2);
  // The rule's dispatch branched on a constant; the loop's test and branch
  // are one instruction.
  CHECK(count_op(rule, static_cast<uint8_t>(ir::Op::Branch)) == 0);
  CHECK(count_op(rule, static_cast<uint8_t>(ir::Op::LtI)) == 0);
  CHECK(count_op(rule, interp::kOpBranchLt) == 1);
  // The loop's jump back is its test, with the jump's step.
  CHECK(count_op(rule, static_cast<uint8_t>(ir::Op::Jump)) == 0);
  CHECK(count_op(rule, interp::kOpStepBranchLt) == 1);
  CHECK(count_op(rule, interp::kOpStep) == 1);  // counted's call
}

TEST_CASE("past its growth limit a function keeps its calls, and their arguments") {
  // A 40-odd-instruction member function called 60 times over: inlining
  // all would make the caller far more than 4× its length + 1,024, so the
  // later calls stay calls, each with the move that fills its argument.
  std::string terms, calls;
  for (int k = 1; k <= 10; ++k) terms += fmt::format("{}p.age * {}", k > 1 ? " + " : "", k);
  for (int k = 0; k < 60; ++k) calls += fmt::format("{}heavy(p)", k ? " + " : "");
  const std::string rules = fmt::format(R"(language en
module test.growth
struct person {{
  age : int
}}
struct household {{
  members : list<person>
}}
input household : household
jurisdiction here {{}}
define heavy(person p) : int =
  {} [t]
rule total : int
  default = sum p in household.members : {} [t]
)",
                                        terms, calls);
  const auto loaded = load_source_rules("growth.doudi", rules);
  REQUIRE(loaded.rules);
  const ir::Module& m = loaded.rules->module();
  const uint32_t heavy = function_named(m, "heavy"), total = function_named(m, "total#default");
  const auto untraced = untraced_of(m);
  REQUIRE(untraced[heavy].code.size() <= 48);
  const size_t calls_left = static_cast<size_t>(std::count_if(
      untraced[total].code.begin(), untraced[total].code.end(),
      [&](const ir::Inst& in) { return in.op == ir::Op::Call && in.a == heavy; }));
  CHECK(calls_left > 0);
  CHECK(calls_left < 60);
  CHECK(untraced[total].code.size() <= 4 * m.functions[total].code.size() + 1024 + 300);

  std::vector<Diagnostic> errors;
  const auto context = loaded.rules->context("here", "2024-03", errors);
  REQUIRE(context);
  auto engine = make_interpreter(loaded.rules);
  engine->set_context(*context);
  LoadedRecord r = load_household(*loaded.rules, R"({"members": [{"age": 3}, {"age": 40}, {"age": 71}]})");
  REQUIRE(r.ok());
  const Decision untraced_decision = engine->decide(r.data);
  TraceRecorder trace;
  const Decision traced = engine->decide(r.data, &trace);
  REQUIRE(!untraced_decision.error);
  REQUIRE(!traced.error);
  // Σ k for k = 1..10 is 55: each call gives 55 × age; 60 calls per member.
  CHECK(untraced_decision.outputs[0].a == 60 * 55 * (3 + 40 + 71));
  CHECK(untraced_decision.outputs[0] == traced.outputs[0]);
}

TEST_CASE("a crafted module: a parameter passed straight on as a call's argument keeps its register") {
  // g(x, y) = h(x, y), with h too large to inline. Lowering moves g's
  // parameters into fresh argument registers; the module is then crafted
  // so that g calls h on its parameters' own registers 0 and 1. Reading
  // them where the caller moved them from would break the two arguments'
  // run of registers (h would get x and whatever follows x).
  std::string terms;
  for (int k = 1; k <= 20; ++k) terms += fmt::format("{}{} * {}", k > 1 ? " + " : "", k % 2 ? "x" : "y", k);
  const std::string rules = fmt::format(R"(language en
module test.passed_on
struct person {{
  age : int
  size : int
}}
struct household {{
  members : list<person>
}}
input household : household
jurisdiction here {{}}
define h(int x, int y) : int =
  {} [t]
define g(int x, int y) : int =
  h(x, y) [t]
rule total : int
  default = sum p in household.members : g(p.age, p.size + 1) [t]
)",
                                        terms);
  const auto loaded = load_source_rules("passed_on.doudi", rules);
  REQUIRE(loaded.rules);
  std::string digest, error;
  auto copy = read_bundle(write_bundle(loaded.rules->module()), digest, error);
  REQUIRE(copy.has_value());
  ir::Module& m = *copy;
  const uint32_t g = function_named(m, "g");
  bool crafted = false;
  for (ir::Inst& in : m.functions[g].code)
    if (in.op == ir::Op::Call && in.c == 2) {
      in.b = 0;
      crafted = true;
    }
  REQUIRE(crafted);
  REQUIRE(ir::verify_module(m).empty());
  std::vector<Diagnostic> errors;
  const auto context = loaded.rules->context("here", "2024-03", errors);
  REQUIRE(context);
  Interpreter interpreter(m);
  interpreter.set_context(context->jurisdiction, context->month);
  LoadedRecord r = load_household(*loaded.rules, R"({"members": [{"age": 3, "size": 1000}, {"age": 40, "size": 7}]})");
  REQUIRE(r.ok());
  const Decision untraced = interpreter.decide(r.data);
  TraceRecorder trace;
  const Decision traced = interpreter.decide(r.data, &trace);
  REQUIRE(!traced.error);
  REQUIRE(!untraced.error);
  // Σ over odd k of k = 100 (for x), over even k = 110 (for y).
  CHECK(traced.outputs[0].a == 100 * (3 + 40) + 110 * (1001 + 8));
  CHECK(untraced.outputs[0] == traced.outputs[0]);
}
