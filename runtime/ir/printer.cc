// IR listing: one function after another, registers with their types,
// jump targets as labels. Golden tests compare this text.
#include <fmt/format.h>

#include <set>

#include "runtime/ir/ir.h"
#include "runtime/value/calendar.h"

namespace doudi::ir {
namespace {

const char* kind_name(FunctionKind k) {
  switch (k) {
    case FunctionKind::Definition: return "definition";
    case FunctionKind::Rule: return "rule";
    case FunctionKind::Default: return "default";
    case FunctionKind::ExceptionCondition: return "exception.condition";
    case FunctionKind::ExceptionValue: return "exception.value";
    case FunctionKind::Flag: return "flag";
    case FunctionKind::Constraint: return "constraint";
  }
  return "?";
}

std::string operands(const Module& m, const Function& f, const Inst& in) {
  auto r = [](uint32_t x) { return fmt::format("%{}", x); };
  switch (in.op) {
    case Op::Const: return m.format_value(m.constants[in.a], m.constant_types[in.a], false);
    case Op::Mov: case Op::NegI: case Op::NegR: case Op::ToRatio: case Op::Not: case Op::IsPresent: case Op::ListLen:
    case Op::FirstDay:
    case Op::Ret:
      return r(in.a);
    case Op::Param: case Op::ParamLastYear: return m.params[in.a].name;
    case Op::ParamAt: return fmt::format("{}, {}{}", m.params[in.a].name, r(in.b), in.c ? " (date)" : "");
    case Op::Input: case Op::DecisionMonth: return "";
    case Op::Field: {
      const Type& t = m.types.get(f.regs[in.a]);
      const std::string fname = t.kind == TypeKind::Struct ? m.structs[t.ref].fields[in.b].name : std::to_string(in.b);
      return fmt::format("{}.{}", r(in.a), fname);
    }
    case Op::Call: {
      std::string args;
      for (uint32_t i = 0; i < in.c; ++i) args += (i ? ", " : "") + r(in.b + i);
      return fmt::format("@{}({})", m.functions[in.a].name, args);
    }
    case Op::MulMoneyRatio: case Op::DivMoneyInt: case Op::DivMoneyRatio: {
      static const char* const kModes[] = {"half_up", "down", "up"};
      return fmt::format("{}, {} {}", r(in.a), r(in.b), kModes[in.c]);
    }
    case Op::Jump: return fmt::format("L{}", in.a);
    case Op::Branch: return fmt::format("{}, L{}, L{}", r(in.a), in.b, in.c);
    case Op::Conflict:
      return fmt::format("@{}, {}, {}, #{}, {}", m.functions[in.a].name, r(in.b), r(in.c), in.d, r(in.dst));
    case Op::Gap: return fmt::format("@{}", m.functions[in.a].name);
    case Op::EmptyAggregate: return in.a == 0 ? "max" : "min";
    default: return fmt::format("{}, {}", r(in.a), r(in.b));
  }
}

bool has_dst(Op op) {
  switch (op) {
    case Op::Jump: case Op::Branch: case Op::Ret: case Op::Conflict: case Op::Gap: case Op::EmptyAggregate:
      return false;
    default:
      return true;
  }
}

}  // namespace

std::string print_param(const Module& m, uint32_t index) {
  const auto& p = m.params[index];
  std::string out = fmt::format("param {} : {}\n", p.name, m.type_name(p.type, false));
  for (const auto& v : p.values) {
    out += fmt::format("  = {} in {}", m.format_value(v.value, p.type, false),
                       v.jurisdiction == UINT32_MAX ? "*" : m.jurisdictions[v.jurisdiction].name);
    if (v.from != INT64_MIN) out += " from " + format_date(v.from);
    if (v.until != INT64_MAX) out += " until " + format_date(v.until);
    out += '\n';
  }
  return out;
}

std::string print_function(const Module& m, uint32_t index) {
  const auto& f = m.functions[index];
  std::string params;
  for (uint32_t i = 0; i < f.num_params; ++i) params += fmt::format("{}%{}: {}", i ? ", " : "", i, m.type_name(f.regs[i], false));
  std::string out = fmt::format("{} @{}({}) -> {}\n", kind_name(f.kind), f.name, params, m.type_name(f.result, false));
  std::set<uint32_t> targets;
  for (const auto& in : f.code) {
    if (in.op == Op::Jump) targets.insert(in.a);
    if (in.op == Op::Branch) {
      targets.insert(in.b);
      targets.insert(in.c);
    }
  }
  for (uint32_t i = 0; i < f.code.size(); ++i) {
    if (targets.count(i)) out += fmt::format(" L{}:\n", i);
    const auto& in = f.code[i];
    const std::string ops = operands(m, f, in);
    const std::string tail = ops.empty() ? "" : " " + ops;
    if (has_dst(in.op))
      out += fmt::format("    %{}: {} = {}{}\n", in.dst, m.type_name(f.regs[in.dst], false), op_name(in.op), tail);
    else
      out += fmt::format("    {}{}\n", op_name(in.op), tail);
  }
  return out;
}

std::string print_module(const Module& m) {
  std::string out = fmt::format("module {}\n", m.name);
  for (uint32_t i = 0; i < m.params.size(); ++i) out += print_param(m, i);
  for (const auto& o : m.outputs) out += fmt::format("output {} = @{}\n", o.name, m.functions[o.function].name);
  for (const auto& fl : m.flags) out += fmt::format("flag {} when @{}\n", fl.name, m.functions[fl.function].name);
  for (const auto& c : m.constraints) {
    out += fmt::format("constraint @{} in {}", m.functions[c.function].name,
                       c.jurisdiction == UINT32_MAX ? "*" : m.jurisdictions[c.jurisdiction].name);
    if (c.from != INT64_MIN) out += " from " + format_date(c.from);
    if (c.until != INT64_MAX) out += " until " + format_date(c.until);
    out += '\n';
  }
  for (uint32_t i = 0; i < m.functions.size(); ++i) out += "\n" + print_function(m, i);
  return out;
}

}  // namespace doudi::ir
