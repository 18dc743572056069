// The interpreter's untraced code (runtime/interp/untraced_code.h) inlines
// small functions that take arguments; a traced decision runs the module's
// code call by call. On every step budget the two must give the same
// decision: the same outputs, or the same error result at the same place —
// so the inlined code counts each step where the call counted it.
#include <doctest/doctest.h>

#include "doudi/compiler.h"
#include "doudi/engine.h"
#include "runtime/interp/untraced_code.h"

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
)";

}  // namespace

TEST_CASE("untraced and traced, the interpreter decides alike on every step budget") {
  const auto loaded = load_source_rules("inlined.doudi", kRules);
  REQUIRE(loaded.rules);
  std::vector<Diagnostic> errors;
  const auto context = loaded.rules->context("here", "2024-03", errors);
  REQUIRE(context);
  auto engine = make_interpreter(loaded.rules);
  engine->set_context(*context);
  auto shown = [&](const Decision& d) {
    return decision_json(loaded.rules->module(), "here", context->month, d, Lang::En);
  };
  for (const char* json : {
           R"({"members": [{"age": 40, "income": 100, "kids": [3, 7, 12]}, {"age": 9, "income": 0, "kids": [1]},
                           {"age": 38, "income": 250.50, "kids": [5, 2]}]})",
           R"({"members": [{"age": 40, "income": 100, "kids": [3]}, {"age": 70, "income": 80, "kids": []}]})"}) {
    LoadedRecord r = load_household(*loaded.rules, json);
    REQUIRE(r.ok());
    size_t refused = 0;
    for (uint64_t budget = 1; budget <= 120; ++budget) {
      INFO("budget ", budget, " ", json);
      engine->set_step_budget(budget);
      const Decision untraced = engine->decide(r.data);
      TraceRecorder trace;
      const Decision traced = engine->decide(r.data, &trace);
      CHECK(shown(untraced) == shown(traced));
      refused += untraced.error && untraced.error->code == DiagCode::E1008;
    }
    // Small budgets run out (at different places), large ones do not.
    CHECK(refused > 10);
    CHECK(refused < 120);
  }
}

TEST_CASE("a small function's calls are inlined into the untraced code, in one block of registers") {
  const auto loaded = load_source_rules("inlined.doudi", kRules);
  REQUIRE(loaded.rules);
  const ir::Module& m = loaded.rules->module();
  std::vector<std::vector<ir::Inst>> code;
  for (const auto& fn : m.functions) code.push_back(fn.code);
  const interp::ZeroedRegisters zeroed(m.functions.size());
  uint32_t weight = 0, total = 0;
  for (uint32_t f = 0; f < m.functions.size(); ++f) {
    if (m.functions[f].name == "weight") weight = f;
    if (m.functions[f].name == "total#default") total = f;
  }
  REQUIRE(m.functions[weight].name == "weight");
  REQUIRE(m.functions[total].name == "total#default");
  const interp::UntracedCode untraced = interp::untraced_codes(m, code, zeroed)[total];
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
