// Runs IR for one record at a time. Construct once per module, set the
// decision context (jurisdiction, month, test overrides) once per batch, then
// evaluate records. Evaluation allocates nothing: registers live in a stack
// sized for the code that runs (the call graph is acyclic, so the deepest
// call chain is bounded by the sum of all frames), except that the second
// untraced run first makes the untraced code and grows the stack for it.
#pragma once
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "runtime/diag/diagnostic.h"
#include "runtime/ir/ir.h"
#include "runtime/interp/trace.h"
#include "runtime/interp/untraced_code.h"
#include "runtime/record/record_layout.h"

namespace doudi {

struct EvalError {
  DiagCode code;
  std::vector<std::string> args;
  uint32_t location = 0;  // ir::Module::locations
};

struct Decision {
  std::optional<EvalError> error;   // set: the record has no outputs, only this error
  std::vector<Value> outputs;       // parallel to Module::outputs
  std::vector<uint32_t> flags;      // indices of raised flags
};

class Interpreter {
 public:
  explicit Interpreter(const ir::Module& module);

  // Overrides replace a parameter's value everywhere (tests use them).
  void set_context(uint32_t jurisdiction, int64_t year_month,
                   std::vector<std::pair<uint32_t, Value>> overrides = {});
  // The same for one day (static checks evaluate constraints on the exact
  // dates values change); the decision month is that day's month.
  void set_context_on_day(uint32_t jurisdiction, int64_t day);

  Decision decide(const RecordView& record, TraceSink* trace = nullptr);
  // The same into `out`, reusing its vectors' storage (a batch's loop).
  void decide_into(const RecordView& record, Decision& out, TraceSink* trace = nullptr);

  // Evaluates one parameterless function (a test's expectation); the record
  // and context as for decide().
  std::optional<Value> evaluate_function(const RecordView& record, uint32_t function, EvalError& error,
                                         TraceSink* trace = nullptr);

  // Whether constraint `c` holds in the current context. A constraint not in
  // force there (another branch of the jurisdiction tree, or outside its
  // dates on the first day of the month) holds trivially: in_force is false.
  std::optional<bool> check_constraint(uint32_t c, bool& in_force, EvalError& error, TraceSink* trace = nullptr);

  const ir::Module& module() const { return m_; }

  // Calls and backward jumps (rounds of loops) one decision may take: no rule
  // set runs away (definitions that each call the next twice, forty deep, a
  // crafted loop); a household of the shipped policies takes a few thousand.
  static constexpr uint64_t kStepBudget = 20'000'000;
  // With a trace every step is kept (an aggregation's element keeps its
  // registers), so a traced decision gets fewer: memory stays bounded.
  static constexpr uint64_t kTracedStepBudget = 100'000;
  // The untraced budget from the next decision on (a service's per-request
  // limit; the differential test's small budgets). At least 1.
  void set_step_budget(uint64_t steps) { step_budget_ = steps == 0 ? 1 : steps; }
  // This decision's budget: a traced one never more than kTracedStepBudget.
  uint64_t budget() const { return trace_ ? std::min(kTracedStepBudget, step_budget_) : step_budget_; }
  // Whether the untraced code is made (tests: that runs switch to it).
  bool untraced_code_made() const { return untraced_made_; }

 private:
  struct Resolved {
    bool found = false;
    uint32_t value_index = UINT32_MAX;  // UINT32_MAX with found: an override
    Value value;
  };
  Resolved resolve(uint32_t param, int64_t day) const;
  Value read_param(uint32_t param, const Resolved& r, int64_t day, uint32_t loc);
  Value call(uint32_t function, const Value* args, uint32_t nargs, size_t frame);
  void begin_record(const RecordView& record, TraceSink* trace);
  void report_comparison(const ir::Function& fn, const ir::Inst& in, const Value* r);
  // The dispatch loop's handlers that need locals with destructors (an
  // EvalError): an indirect goto may not leave such a scope (Clang refuses).
  // Each is given what it reads: lambdas capturing the loop's locals by
  // reference kept `r` and the instruction pointer in memory, stored and
  // reloaded at every dispatch (1.7× slower on the benchmark rule).
  void param_at(const ir::Inst& in, Value* r);
  void exact_ratio(const ir::Inst& in, Value* r);
  void exact_scale(const ir::Inst& in, Value* r);
  void date_op(const ir::Inst& in, Value* r);
  int64_t checked(std::optional<int64_t> v, uint32_t loc) const {
    if (!v) [[unlikely]] fail_overflow(loc);
    return *v;
  }
  void step(uint32_t loc) {
    if (--steps_left_ == 0) [[unlikely]] fail_steps(loc);
  }
  // Error results, out of line and cold: the dispatch loop keeps its registers.
  [[noreturn, gnu::cold, gnu::noinline]] void fail_overflow(uint32_t loc) const;
  [[noreturn, gnu::cold, gnu::noinline]] void fail_steps(uint32_t loc) const;

  const ir::Module& m_;
  uint32_t jurisdiction_ = UINT32_MAX;
  int64_t month_ = 0;
  int64_t day_ = 0, last_year_day_ = 0;
  std::vector<std::pair<uint32_t, Value>> overrides_;
  std::vector<Resolved> current_, last_year_;
  std::vector<Value> stack_;
  // Per function: registers some path reads before writing (lowering's
  // guarded reads), each with a safe zero of its type, set on entry.
  interp::ZeroedRegisters zeroed_;
  // Per function, its code with record reads decoded (the constructor),
  // run when traced and by the first untraced run; and the code made for
  // the untraced runs after it (untraced_code.h).
  std::vector<std::vector<ir::Inst>> code_;
  std::vector<interp::UntracedCode> untraced_;
  // The untraced code is made when the second untraced run (a decision,
  // a function's or a constraint's evaluation) begins; the first runs the
  // decoded code without a trace. Making it takes as long as ~1,000
  // decisions of the Huining policy (5M instructions), which a command
  // or a request that decides once would spend for nothing, and an engine
  // kept for explanations and for households that run out of steps (the
  // compiled engine's) makes only when a second such household comes. Both
  // codes give the same outputs, errors and steps.
  static constexpr uint32_t kUntracedRunsOnDecodedCode = 1;

  uint32_t untraced_runs_ = 0;
  bool untraced_made_ = false;
  void make_untraced_code();
  std::vector<uint8_t> memo_valid_;
  std::vector<Value> memo_;
  Value root_;                       // the record's
  const int64_t* words_ = nullptr;   // the record's words as read (record::ReadableWords)
  record::ReadableWords readable_;
  TraceSink* trace_ = nullptr;
  uint64_t steps_left_ = kStepBudget;
  uint64_t step_budget_ = kStepBudget;
};

// An error's message and "file:line:col" location, for printing.
std::string describe_eval_error(const ir::Module& m, const EvalError& e, Lang lang);

}  // namespace doudi
