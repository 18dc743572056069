// The instructions that can fail, and their error results, defined once for
// the interpreter and the compiled engine's helpers (runtime/engine/
// compiled_engine.cc): the same inputs give the same value or the same
// EvalError, whichever engine runs them. Each returns false with `error`
// set; the interpreter throws it, the compiled code returns to its caller.
#pragma once
#include <cstdint>

#include "runtime/interp/interpreter.h"
#include "runtime/ir/ir.h"
#include "runtime/value/money.h"

namespace doudi::eval {

// E1001: an arithmetic result outside 64 bits; names the expression.
EvalError overflow(const ir::Module& m, uint32_t loc);
// E1005: `param` has no value in force in `jurisdiction` on `day`.
EvalError missing_param(const ir::Module& m, uint32_t param, uint32_t jurisdiction, int64_t day, uint32_t loc);
// E1008: the decision took more than `budget` steps.
EvalError out_of_steps(uint64_t budget, uint32_t loc);
// E1009: element `index` of a list of `length`.
EvalError index_outside(int64_t index, int64_t length, uint32_t loc);
// E1003: exceptions `first` (value `first_value`) and `second` (value
// `second_value`) of rule function `rule` both apply.
EvalError conflict(const ir::Module& m, uint32_t rule, uint32_t first, Value first_value, uint32_t second,
                   Value second_value, uint32_t loc);
// E1004: rule function `rule` has no default and no exception applies.
EvalError gap(const ir::Module& m, uint32_t rule, uint32_t loc);
// E1006: max (extreme 0) or min (1) of an empty list.
EvalError empty_aggregate(uint32_t extreme, uint32_t loc);

// The Round operand: 0 四舍五入 (half up), 1 down, 2 up.
inline RoundMode round_mode(uint32_t c) { return c == 1 ? RoundMode::Down : c == 2 ? RoundMode::Up : RoundMode::HalfUp; }

// Whole ratios (both read with denominator 1) added, subtracted or
// multiplied in 64 bits: n/1, already normalized, exactly what the 128-bit
// path gives. False when it does not apply or overflows (the exact path then
// decides, overflow or not).
inline bool whole_ratio_op(ir::Op op, Value a, Value b, Value& out) {
  if (a.b != 1 || b.b != 1) return false;
  int64_t v;
  switch (op) {
    case ir::Op::AddR: if (__builtin_add_overflow(a.a, b.a, &v)) return false; break;
    case ir::Op::SubR: if (__builtin_sub_overflow(a.a, b.a, &v)) return false; break;
    case ir::Op::MulR: if (__builtin_mul_overflow(a.a, b.a, &v)) return false; break;
    default: return false;
  }
  out = Value{v, 1};
  return true;
}

// Money × a whole factor (no rounding), or ÷ a positive whole number,
// rounded in 64 bits as rounded_div would; false when it does not apply.
inline bool whole_scale_op(ir::Op op, int64_t fen, Value factor, uint32_t round, int64_t& out, ExactFen* exact) {
  const bool whole = op == ir::Op::DivMoneyInt || factor.b == 1;
  if (!whole) return false;
  const int64_t n = factor.a;
  if (op == ir::Op::MulMoneyRatio) {
    if (__builtin_mul_overflow(fen, n, &out)) return false;
    if (exact) *exact = ExactFen{out, 1};
    return true;
  }
  if (n <= 0 || fen == INT64_MIN) return false;
  out = apply_rounding<int64_t>(fen / n, fen % n, n, round_mode(round));
  if (exact) *exact = ExactFen{fen, n};
  return true;
}

// AddR, SubR, MulR, DivR, DivToRatio on two registers' words.
bool ratio_op(const ir::Module& m, ir::Op op, Value a, Value b, uint32_t loc, Value& out, EvalError& error);
// MulMoneyRatio, DivMoneyInt, DivMoneyRatio with rounding mode `round`;
// `exact` (if given) receives the unrounded quotient for a trace.
bool scale_op(const ir::Module& m, ir::Op op, Value money, Value factor, uint32_t round, uint32_t loc, int64_t& out,
              EvalError& error, ExactFen* exact = nullptr);
// AddDateMonths and FirstDay.
bool add_months_op(int64_t date, int64_t months, uint32_t loc, int64_t& out, EvalError& error);
bool first_day_op(int64_t year_month, uint32_t loc, int64_t& out, EvalError& error);
// ParamAt's operand: the day the value is read on (is_date: `when` is a
// date, else a year-month); E1007 out of the calendar's range.
bool param_at_day(int64_t when, bool is_date, uint32_t loc, int64_t& day, EvalError& error);
// LtR, LeR, MinR, MaxR compare ratios as Value::ratio() reads them.
inline int compare_ratios(Value a, Value b) { return ratio_compare(a.ratio(), b.ratio()); }
// EqText: absent equals absent only; texts by content.
inline bool texts_equal(Value a, Value b) {
  return a.is_absent() || b.is_absent() ? a.is_absent() && b.is_absent() : a.text() == b.text();
}

}  // namespace doudi::eval
