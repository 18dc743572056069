#include "runtime/interp/eval_ops.h"

#include "runtime/value/calendar.h"
#include "runtime/value/checked.h"

namespace doudi::eval {

EvalError overflow(const ir::Module& m, uint32_t loc) {
  return EvalError{DiagCode::E1001, {loc < m.locations.size() ? m.locations[loc].text : "?"}, loc};
}

EvalError missing_param(const ir::Module& m, uint32_t param, uint32_t jurisdiction, int64_t day, uint32_t loc) {
  return EvalError{DiagCode::E1005,
                   {m.params[param].name, jurisdiction < m.jurisdictions.size() ? m.jurisdictions[jurisdiction].name : "?",
                    format_date(day)},
                   loc};
}

EvalError out_of_steps(uint64_t budget, uint32_t loc) { return EvalError{DiagCode::E1008, {std::to_string(budget)}, loc}; }

EvalError index_outside(int64_t index, int64_t length, uint32_t loc) {
  return EvalError{DiagCode::E1009, {std::to_string(index), std::to_string(length)}, loc};
}

EvalError conflict(const ir::Module& m, uint32_t rule_index, uint32_t first, Value first_value, uint32_t second,
                   Value second_value, uint32_t loc) {
  const auto& rule = m.functions[rule_index];
  // The rule's exceptions in source order are its ExceptionValue functions.
  std::vector<std::string> labels;
  for (const auto& f : m.functions)
    if (f.owner == rule_index && (f.kind == ir::FunctionKind::ExceptionValue || f.kind == ir::FunctionKind::Default))
      labels.push_back(f.label);
  const std::string a = first < labels.size() ? labels[first] : std::to_string(first);
  const std::string b = second < labels.size() ? labels[second] : std::to_string(second);
  const TypeId t = rule.result;
  return EvalError{DiagCode::E1003,
                   {a, b, rule.name,
                    m.format_value(first_value, t, true) + "\x1f" + m.format_value(first_value, t, false),
                    m.format_value(second_value, t, true) + "\x1f" + m.format_value(second_value, t, false)},
                   loc};
}

EvalError gap(const ir::Module& m, uint32_t rule, uint32_t loc) {
  return EvalError{DiagCode::E1004, {m.functions[rule].name}, loc};
}

EvalError empty_aggregate(uint32_t extreme, uint32_t loc) {
  return EvalError{DiagCode::E1006, {extreme == 0 ? "最大\x1fmax" : "最小\x1fmin"}, loc};
}

bool ratio_op(const ir::Module& m, ir::Op op, Value a, Value b, uint32_t loc, Value& out, EvalError& error) {
  if (whole_ratio_op(op, a, b, out)) return true;
  std::optional<Ratio> r;
  switch (op) {
    case ir::Op::AddR: r = ratio_add(a.ratio(), b.ratio()); break;
    case ir::Op::SubR: r = ratio_sub(a.ratio(), b.ratio()); break;
    case ir::Op::MulR: r = ratio_mul(a.ratio(), b.ratio()); break;
    case ir::Op::DivR:
      if (b.a == 0) {
        error = EvalError{DiagCode::E1002, {}, loc};
        return false;
      }
      r = ratio_div(a.ratio(), b.ratio());
      break;
    case ir::Op::DivToRatio:
      if (b.a == 0) {
        error = EvalError{DiagCode::E1002, {}, loc};
        return false;
      }
      r = Ratio::make(a.a, b.a);
      break;
    default: break;
  }
  if (!r) {
    error = overflow(m, loc);
    return false;
  }
  out = Value::of_ratio(*r);
  return true;
}

bool scale_op(const ir::Module& m, ir::Op op, Value money, Value factor_value, uint32_t round, uint32_t loc,
              int64_t& out, EvalError& error, ExactFen* exact) {
  if (whole_scale_op(op, money.a, factor_value, round, out, exact)) return true;
  // money × ratio, money ÷ whole number, money ÷ ratio
  const Ratio factor = op == ir::Op::DivMoneyInt ? Ratio{factor_value.a, 1} : factor_value.ratio();
  const bool divide = op != ir::Op::MulMoneyRatio;
  if (divide && factor.num == 0) {
    error = EvalError{DiagCode::E1002, {}, loc};
    return false;
  }
  const auto v = scale_money(money.a, factor, divide, round_mode(round), exact);
  if (!v) {
    error = overflow(m, loc);
    return false;
  }
  out = *v;
  return true;
}

bool add_months_op(int64_t date, int64_t months, uint32_t loc, int64_t& out, EvalError& error) {
  const auto d = add_months_to_date(date, months);
  if (!d) {
    error = EvalError{DiagCode::E1007, {}, loc};
    return false;
  }
  out = *d;
  return true;
}

bool first_day_op(int64_t year_month, uint32_t loc, int64_t& out, EvalError& error) {
  if (!year_month_in_range(year_month)) {
    error = EvalError{DiagCode::E1007, {}, loc};
    return false;
  }
  out = first_day_of(year_month);
  return true;
}

bool param_at_day(int64_t when, bool is_date, uint32_t loc, int64_t& day, EvalError& error) {
  if (is_date ? !day_in_range(when) : !year_month_in_range(when)) {
    error = EvalError{DiagCode::E1007, {}, loc};
    return false;
  }
  day = is_date ? when : first_day_of(when);
  return true;
}

}  // namespace doudi::eval
