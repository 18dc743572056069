#include "runtime/interp/interpreter.h"

#include "runtime/source/operators.h"

#include <algorithm>
#include <iterator>
#include <fmt/format.h>

#include "runtime/interp/eval_ops.h"
#include "runtime/interp/dispatch_code.h"
#include "runtime/interp/untraced_code.h"
#include "runtime/ir/verify.h"
#include "runtime/record/record_layout.h"
#include "runtime/value/calendar.h"
#include "runtime/value/checked.h"

namespace doudi {
namespace {

using interp::reg_at;
using interp::register_index;
using ir::Op;

// Internal unwinding for an error result; caught in decide().
struct Failure {
  EvalError error;
};

[[noreturn]] void fail(EvalError error) { throw Failure{std::move(error)}; }

// A register copied word by word. Handlers write a register's two words
// with two 8-byte stores; copied whole (one 16-byte load) right after, the
// load cannot take the value from those stores while they are in flight
// and waits for them to reach the cache.
inline void copy_value(Value& to, const Value& from) {
  to.a = from.a;
  to.b = from.b;
}

}  // namespace

Interpreter::Interpreter(const ir::Module& module) : m_(module), readable_(module) {
  memo_valid_.assign(m_.functions.size(), 0);
  memo_.resize(m_.functions.size());
  zeroed_.resize(m_.functions.size());
  for (uint32_t f = 0; f < m_.functions.size(); ++f)
    for (uint32_t r : ir::read_before_written(m_, f))
      zeroed_[f].emplace_back(r, interp::zero_of(m_.types.kind(m_.functions[f].regs[r])));
  code_.resize(m_.functions.size());
  for (uint32_t f = 0; f < m_.functions.size(); ++f) {
    code_[f] = interp::decoded_code(m_, f);
    interp::prepare_for_dispatch(m_, code_[f]);
  }
  // A chain of calls holds each function at most once (a verified module
  // has no recursion): the sum of the frames holds any chain.
  size_t total = 0;
  for (const auto& f : m_.functions) total += f.regs.size();
  stack_.resize(total + 1);
}

void Interpreter::make_untraced_code() {
  // From the code as decoded, before it is prepared for dispatch (code_
  // is: decoding again is cheaper than keeping a copy).
  std::vector<std::vector<ir::Inst>> decoded(m_.functions.size());
  for (uint32_t f = 0; f < m_.functions.size(); ++f) decoded[f] = interp::decoded_code(m_, f);
  untraced_ = interp::untraced_codes(m_, decoded, zeroed_);
  size_t total = 0;
  for (uint32_t f = 0; f < m_.functions.size(); ++f) {
    total += std::max<size_t>(m_.functions[f].regs.size(), untraced_[f].frame);
    interp::prepare_for_dispatch(m_, untraced_[f].code);
  }
  stack_.resize(total + 1);  // no call is running: begin_record
  untraced_made_ = true;
}

Interpreter::Resolved Interpreter::resolve(uint32_t param, int64_t day) const {
  for (const auto& [p, v] : overrides_)
    if (p == param) return Resolved{true, UINT32_MAX, v};
  const uint32_t i = m_.value_in_force(param, jurisdiction_, day);
  if (i == UINT32_MAX) return Resolved{};
  return Resolved{true, i, m_.params[param].values[i].value};
}

void Interpreter::set_context_on_day(uint32_t jurisdiction, int64_t day) {
  set_context(jurisdiction, year_month_of_date(day));
  day_ = day;
  for (uint32_t p = 0; p < m_.params.size(); ++p) current_[p] = resolve(p, day_);
}

void Interpreter::set_context(uint32_t jurisdiction, int64_t year_month,
                              std::vector<std::pair<uint32_t, Value>> overrides) {
  jurisdiction_ = jurisdiction;
  month_ = year_month;
  overrides_ = std::move(overrides);
  day_ = first_day_of(year_month);
  // 上年度: the value in force at the end of the previous calendar year.
  last_year_day_ = days_from_civil({ym_year(year_month) - 1, 12, 31});
  current_.resize(m_.params.size());
  last_year_.resize(m_.params.size());
  for (uint32_t p = 0; p < m_.params.size(); ++p) {
    current_[p] = resolve(p, day_);
    last_year_[p] = resolve(p, last_year_day_);
  }
}

Value Interpreter::read_param(uint32_t param, const Resolved& r, int64_t day, uint32_t loc) {
  if (!r.found) fail(eval::missing_param(m_, param, jurisdiction_, day, loc));
  if (trace_) trace_->param_read(param, r.value_index, r.value, day);
  return r.value;
}

void Interpreter::report_comparison(const ir::Function& fn, const ir::Inst& in, const Value* r) {
  const bool swapped = (in.d & 2) != 0, negated = (in.d & 4) != 0;
  Operator written;
  switch (in.op) {
    case ir::Op::LtI: case ir::Op::LtR: written = swapped ? Operator::Gt : Operator::Lt; break;
    case ir::Op::LeI: case ir::Op::LeR: written = swapped ? Operator::Ge : Operator::Le; break;
    case ir::Op::Eq: case ir::Op::EqText: written = negated ? Operator::Ne : Operator::Eq; break;
    default: return;
  }
  const char* op = operator_text(written, true).data();
  const ir::Reg left = swapped ? in.b : in.a, right = swapped ? in.a : in.b;
  const bool result = (reg_at(r, in.dst).a != 0) != negated;
  trace_->compared(in.loc, op, reg_at(r, left), fn.regs[register_index(left)], reg_at(r, right),
                   fn.regs[register_index(right)], result);
}

void Interpreter::param_at(const ir::Inst& i, Value* r) {
  int64_t day;
  EvalError error;
  if (!eval::param_at_day(reg_at(r, i.b).a, i.c != 0, i.loc, day, error)) fail(std::move(error));
  reg_at(r, i.dst) = read_param(i.a, resolve(i.a, day), day, i.loc);
}

void Interpreter::exact_ratio(const ir::Inst& i, Value* r) {
  EvalError error;
  if (!eval::ratio_op(m_, i.op, reg_at(r, i.a), reg_at(r, i.b), i.loc, reg_at(r, i.dst), error)) fail(std::move(error));
}

void Interpreter::exact_scale(const ir::Inst& i, Value* r) {
  int64_t out;
  EvalError error;
  ExactFen exact;
  if (!eval::scale_op(m_, i.op, reg_at(r, i.a), reg_at(r, i.b), i.c, i.loc, out, error, &exact)) fail(std::move(error));
  reg_at(r, i.dst) = Value::of(out);
  if (trace_ && exact.num % exact.den != 0) {
    auto ratio = Ratio::make(exact.num, exact.den);
    trace_->rounding(i.loc, ratio.value_or(Ratio{out, 1}), reg_at(r, i.dst), eval::round_mode(i.c));
  }
}

void Interpreter::date_op(const ir::Inst& i, Value* r) {
  EvalError error;
  int64_t out;
  const bool ok = i.op == Op::FirstDay ? eval::first_day_op(reg_at(r, i.a).a, i.loc, out, error)
                                       : eval::add_months_op(reg_at(r, i.a).a, reg_at(r, i.b).a, i.loc, out, error);
  if (!ok) fail(std::move(error));
  reg_at(r, i.dst) = Value::of(out);
}

Value Interpreter::call(uint32_t fn_index, const Value* args, uint32_t nargs, size_t frame) {
  const ir::Function& fn = m_.functions[fn_index];
  const bool memo = fn.memoizable();
  if (memo && memo_valid_[fn_index]) {
    // Still report the read in the trace so every reader shows what it used.
    if (trace_) {
      trace_->enter(fn_index, args, 0);
      trace_->leave(fn_index, memo_[fn_index], nullptr, 0);
    }
    return memo_[fn_index];
  }
  step(fn.loc);
  if (trace_) trace_->enter(fn_index, args, nargs);
  Value* r = &stack_[frame];
  // Untraced, the code with small callees inlined (untraced_code.h) once
  // it is made; traced or before, the code as decoded.
  const bool decoded = trace_ || !untraced_made_;
  const interp::UntracedCode* const untraced = decoded ? nullptr : &untraced_[fn_index];
  const size_t next_frame = frame + (decoded ? fn.regs.size() : untraced->frame);
  for (uint32_t i = 0; i < nargs; ++i) copy_value(r[i], args[i]);
  // A traced call's registers start absent, so its explanation never reads
  // a value an earlier call left in the frame.
  if (trace_) std::fill(r + nargs, r + fn.regs.size(), Value::absent());
  for (const auto& [reg, zero] : decoded ? zeroed_[fn_index] : untraced->zeroed) r[reg] = interp::kZeros[zero];

  // Dispatch by computed goto (a GNU extension GCC and Clang share): each
  // handler ends in its own indirect jump, which the CPU predicts per
  // handler, and the loop keeps `r`, `ip` and the record in registers. A
  // RuleSet's module is verified, so every opcode has a label (bundle_read
  // and verify_code range-check them). Failures leave through cold,
  // out-of-line functions so their error-building code costs the loop
  // nothing.
  static void* const kHandlers[] = {
#define OP(name, text, dst, a, b, c, d, flow, doc) &&op_##name,
#include "runtime/ir/opcodes.def"
#undef OP
#define DOUDI_INTERNAL_OP(name, dst, a, b, c, d, flow, doc) &&op_##name,
#include "runtime/interp/internal_ops.def"
#undef DOUDI_INTERNAL_OP
  };
  static_assert(std::size(kHandlers) == interp::kNumInternalOps);
  const ir::Inst* const code = decoded ? code_[fn_index].data() : untraced->code.data();
  const ir::Inst* ip = code;
  const ir::Inst* in;
  const int64_t* const words = words_;
  TraceSink* const trace = trace_;
#define DOUDI_NEXT()                                \
  do {                                              \
    in = ip++;                                      \
    goto* kHandlers[static_cast<uint8_t>(in->op)];  \
  } while (0)
  DOUDI_NEXT();

op_Const:
  reg_at(r, in->dst) = m_.constants[in->a];
  DOUDI_NEXT();
op_Mov:
  copy_value(reg_at(r, in->dst), reg_at(r, in->a));
  DOUDI_NEXT();
op_Param: {
  // Resolved once per context (set_context): here only whether it was found.
  const Resolved& p = current_[in->a];
  if (!p.found || trace) [[unlikely]]
    reg_at(r, in->dst) = read_param(in->a, p, day_, in->loc);
  else
    reg_at(r, in->dst) = p.value;
  DOUDI_NEXT();
}
op_ParamLastYear:
  reg_at(r, in->dst) = read_param(in->a, last_year_[in->a], last_year_day_, in->loc);
  DOUDI_NEXT();
op_ParamAt:
  param_at(*in, r);
  DOUDI_NEXT();
op_Input:
  reg_at(r, in->dst) = root_;
  DOUDI_NEXT();
op_DecisionMonth:
  reg_at(r, in->dst) = Value::of(month_);
  DOUDI_NEXT();
op_Iteration:
  if (trace) trace->iteration(in->a, reg_at(r, in->b).a, r, static_cast<uint32_t>(fn.regs.size()));
  DOUDI_NEXT();
op_InJurisdiction:
  reg_at(r, in->dst) = Value::of_bool(m_.is_within(jurisdiction_, in->a));
  DOUDI_NEXT();
op_Field:
  reg_at(r, in->dst) = Value{words[reg_at(r, in->a).a + in->c], 0};
  DOUDI_NEXT();
op_FieldWide: {
  const int64_t* const w = words + reg_at(r, in->a).a + in->c;
  reg_at(r, in->dst) = Value{w[0], w[1]};
  DOUDI_NEXT();
}
op_ListLen:
  reg_at(r, in->dst) = Value::of(reg_at(r, in->a).b);
  DOUDI_NEXT();
// Lowering reads only below the length; a crafted bundle need not.
op_ListGet: {
  const Value list = reg_at(r, in->a), i = reg_at(r, in->b);
  if (i.a < 0 || i.a >= list.b) [[unlikely]] fail(eval::index_outside(i.a, list.b, in->loc));
  reg_at(r, in->dst) = Value{words[list.a + i.a], 0};
  DOUDI_NEXT();
}
op_ListGetWide: {
  const Value list = reg_at(r, in->a), i = reg_at(r, in->b);
  if (i.a < 0 || i.a >= list.b) [[unlikely]] fail(eval::index_outside(i.a, list.b, in->loc));
  const int64_t* const w = words + list.a + 2 * i.a;
  reg_at(r, in->dst) = Value{w[0], w[1]};
  DOUDI_NEXT();
}
op_Call:
  // A memoized value read here, untraced, without entering call().
  if (!trace && memo_valid_[in->a])
    copy_value(reg_at(r, in->dst), memo_[in->a]);
  else
    reg_at(r, in->dst) = call(in->a, &reg_at(r, in->b), in->c, next_frame);
  DOUDI_NEXT();
op_AddI:
  reg_at(r, in->dst) = Value::of(checked(checked_add(reg_at(r, in->a).a, reg_at(r, in->b).a), in->loc));
  DOUDI_NEXT();
op_SubI:
  reg_at(r, in->dst) = Value::of(checked(checked_sub(reg_at(r, in->a).a, reg_at(r, in->b).a), in->loc));
  DOUDI_NEXT();
op_MulI:
  reg_at(r, in->dst) = Value::of(checked(checked_mul(reg_at(r, in->a).a, reg_at(r, in->b).a), in->loc));
  DOUDI_NEXT();
op_NegI:
  reg_at(r, in->dst) = Value::of(checked(checked_neg(reg_at(r, in->a).a), in->loc));
  DOUDI_NEXT();
op_AddR:
op_SubR:
op_MulR:
  if (eval::whole_ratio_op(in->op, reg_at(r, in->a), reg_at(r, in->b), reg_at(r, in->dst))) DOUDI_NEXT();
  // otherwise on to the exact arithmetic below
op_DivR:
op_DivToRatio:
  exact_ratio(*in, r);
  DOUDI_NEXT();
op_NegR:
  reg_at(r, in->dst) = Value{checked(checked_neg(reg_at(r, in->a).a), in->loc), reg_at(r, in->a).b};
  DOUDI_NEXT();
op_ToRatio:
  reg_at(r, in->dst) = Value::of_ratio(Ratio{reg_at(r, in->a).a, 1});
  DOUDI_NEXT();
op_MulMoneyRatio:
op_DivMoneyInt:
op_DivMoneyRatio: {
  int64_t out;
  if (!trace && eval::whole_scale_op(in->op, reg_at(r, in->a).a, reg_at(r, in->b), in->c, out, nullptr)) {
    reg_at(r, in->dst) = Value::of(out);
    DOUDI_NEXT();
  }
  exact_scale(*in, r);
  DOUDI_NEXT();
}
op_AddDateMonths:
op_FirstDay:
  date_op(*in, r);
  DOUDI_NEXT();
op_LtI:
  reg_at(r, in->dst) = Value::of_bool(reg_at(r, in->a).a < reg_at(r, in->b).a);
  if (trace && in->d) report_comparison(fn, *in, r);
  DOUDI_NEXT();
op_LeI:
  reg_at(r, in->dst) = Value::of_bool(reg_at(r, in->a).a <= reg_at(r, in->b).a);
  if (trace && in->d) report_comparison(fn, *in, r);
  DOUDI_NEXT();
op_LtR:
  reg_at(r, in->dst) = Value::of_bool(eval::compare_ratios(reg_at(r, in->a), reg_at(r, in->b)) < 0);
  if (trace && in->d) report_comparison(fn, *in, r);
  DOUDI_NEXT();
op_LeR:
  reg_at(r, in->dst) = Value::of_bool(eval::compare_ratios(reg_at(r, in->a), reg_at(r, in->b)) <= 0);
  if (trace && in->d) report_comparison(fn, *in, r);
  DOUDI_NEXT();
op_Eq:
  reg_at(r, in->dst) = Value::of_bool(reg_at(r, in->a) == reg_at(r, in->b));
  if (trace && in->d) report_comparison(fn, *in, r);
  DOUDI_NEXT();
op_EqText:
  reg_at(r, in->dst) = Value::of_bool(eval::texts_equal(reg_at(r, in->a), reg_at(r, in->b)));
  if (trace && in->d) report_comparison(fn, *in, r);
  DOUDI_NEXT();
op_Not:
  reg_at(r, in->dst) = Value::of_bool(reg_at(r, in->a).a == 0);
  DOUDI_NEXT();
op_IsPresent:
  reg_at(r, in->dst) = Value::of_bool(!reg_at(r, in->a).is_absent());
  DOUDI_NEXT();
op_MinI:
  reg_at(r, in->dst) = reg_at(r, in->a).a <= reg_at(r, in->b).a ? reg_at(r, in->a) : reg_at(r, in->b);
  DOUDI_NEXT();
op_MaxI:
  reg_at(r, in->dst) = reg_at(r, in->a).a >= reg_at(r, in->b).a ? reg_at(r, in->a) : reg_at(r, in->b);
  DOUDI_NEXT();
op_MinR:
  reg_at(r, in->dst) = eval::compare_ratios(reg_at(r, in->a), reg_at(r, in->b)) <= 0 ? reg_at(r, in->a) : reg_at(r, in->b);
  DOUDI_NEXT();
op_MaxR:
  reg_at(r, in->dst) = eval::compare_ratios(reg_at(r, in->a), reg_at(r, in->b)) >= 0 ? reg_at(r, in->a) : reg_at(r, in->b);
  DOUDI_NEXT();
op_Jump: {
  const ir::Inst* to = code + in->a;
  if (to < ip) step(in->loc);  // a round of a loop
  ip = to;
  DOUDI_NEXT();
}
op_Branch: {
  const ir::Inst* to = code + (reg_at(r, in->a).a ? in->b : in->c);
  if (to < ip) step(in->loc);  // a round of a loop
  ip = to;
  DOUDI_NEXT();
}
op_BranchLt:
op_BranchLe: {
  const Value x = reg_at(r, in->a), y = reg_at(r, in->b);
  const bool holds = static_cast<uint8_t>(in->op) == interp::kOpBranchLt ? x.a < y.a : x.a <= y.a;
  reg_at(r, in->dst) = Value::of_bool(holds);
  const ir::Inst* to = code + (holds ? in->c : in->d);
  if (to < ip) step(in->loc);  // a round of a loop
  ip = to;
  DOUDI_NEXT();
}
op_StepBranchLt:
op_StepBranchLe: {
  step(in->loc);  // the jump's, back to the loop's test
  const Value x = reg_at(r, in->a), y = reg_at(r, in->b);
  const bool holds = static_cast<uint8_t>(in->op) == interp::kOpStepBranchLt ? x.a < y.a : x.a <= y.a;
  reg_at(r, in->dst) = Value::of_bool(holds);
  ip = code + (holds ? in->c : in->d);
  DOUDI_NEXT();
}
op_MemoEnter:
  if (memo_valid_[in->a]) {
    copy_value(reg_at(r, in->dst), memo_[in->a]);
    ip = code + in->b;
  } else {
    step(in->loc);
  }
  DOUDI_NEXT();
op_MemoLeave: {
  Value result;
  copy_value(result, reg_at(r, in->b));
  memo_valid_[in->a] = 1;
  memo_[in->a] = result;
  reg_at(r, in->dst) = result;
  DOUDI_NEXT();
}
op_Ret: {
  Value result;
  copy_value(result, reg_at(r, in->a));
  if (memo) {
    memo_valid_[fn_index] = 1;
    memo_[fn_index] = result;
  }
  if (trace) trace->leave(fn_index, result, r, static_cast<uint32_t>(fn.regs.size()));
  return result;
}
op_Step:
  step(in->loc);
  DOUDI_NEXT();
op_Immediate:
  reg_at(r, in->dst) = interp::immediate_value(*in);
  DOUDI_NEXT();
op_Zero:
  reg_at(r, in->dst) = interp::kZeros[in->a];
  DOUDI_NEXT();
op_Conflict:
  fail(eval::conflict(m_, in->a, static_cast<uint32_t>(reg_at(r, in->b).a), reg_at(r, in->c), in->d, reg_at(r, in->dst), in->loc));
op_Gap:
  fail(eval::gap(m_, in->a, in->loc));
op_EmptyAggregate:
  fail(eval::empty_aggregate(in->a, in->loc));
#undef DOUDI_NEXT
}

void Interpreter::fail_overflow(uint32_t loc) const { fail(eval::overflow(m_, loc)); }

void Interpreter::fail_steps(uint32_t loc) const { fail(eval::out_of_steps(budget(), loc)); }

void Interpreter::begin_record(const RecordView& record, TraceSink* trace) {
  root_ = record.root;
  words_ = readable_.of(record);
  trace_ = trace;
  if (!trace && !untraced_made_ && untraced_runs_++ >= kUntracedRunsOnDecodedCode) make_untraced_code();
  steps_left_ = budget();
  std::fill(memo_valid_.begin(), memo_valid_.end(), 0);
}

Decision Interpreter::decide(const RecordView& record, TraceSink* trace) {
  Decision d;
  decide_into(record, d, trace);
  return d;
}

void Interpreter::decide_into(const RecordView& record, Decision& d, TraceSink* trace) {
  d.error.reset();
  d.outputs.clear();
  d.flags.clear();
  begin_record(record, trace);
  try {
    d.outputs.reserve(m_.outputs.size());
    for (const auto& o : m_.outputs) d.outputs.push_back(call(o.function, nullptr, 0, 0));
    for (uint32_t i = 0; i < m_.flags.size(); ++i)
      if (call(m_.flags[i].function, nullptr, 0, 0).a) d.flags.push_back(i);
  } catch (const Failure& f) {
    d.error = f.error;
    d.outputs.clear();
    d.flags.clear();
  }
}

std::optional<Value> Interpreter::evaluate_function(const RecordView& record, uint32_t function, EvalError& error,
                                                    TraceSink* trace) {
  begin_record(record, trace);
  try {
    return call(function, nullptr, 0, 0);
  } catch (const Failure& f) {
    error = f.error;
    return std::nullopt;
  }
}

std::optional<bool> Interpreter::check_constraint(uint32_t ci, bool& in_force, EvalError& error, TraceSink* trace) {
  const auto& c = m_.constraints[ci];
  in_force = c.from <= day_ && day_ <= c.until;
  in_force = in_force && m_.is_within(jurisdiction_, c.jurisdiction);
  if (!in_force) return true;
  // Constraints read parameters only.
  auto v = evaluate_function(RecordView{}, c.function, error, trace);
  if (!v) return std::nullopt;
  return v->a != 0;
}

std::string describe_eval_error(const ir::Module& m, const EvalError& e, Lang lang) {
  Diagnostic d{e.code, Span{}, e.args, {}};
  std::string where;
  if (e.location != 0 && e.location < m.locations.size()) {
    const auto& l = m.locations[e.location];
    where = fmt::format("{}:{}:{}: ", l.display(), l.line, l.column);
  }
  return fmt::format("{}{}[{}]{}{}", where, lang == Lang::Zh ? "错误" : "error", diag_info(e.code).code,
                     lang == Lang::Zh ? "：" : ": ", d.message(lang));
}

}  // namespace doudi
