// IR listing: one function after another, registers with their types,
// jump targets as labels. Golden tests compare this text.
#include <fmt/format.h>

#include <iterator>
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

// Operands print by their kind (the columns of opcodes.def), in the order
// a, b, c, d, then a dst that is read rather than written.
std::string operands(const Module& m, const Function& f, const Inst& in) {
  const OpInfo& info = op_info(in.op);
  std::string out;
  auto item = [&](const std::string& text) { out += (out.empty() ? "" : ", ") + text; };
  for (size_t i : {1, 2, 3, 4, 0}) {
    const uint32_t x = in.operand(i);
    switch (info.operands[i]) {
      case Operand::None: case Operand::Out: case Operand::OutInt: case Operand::OutRatio:
      case Operand::CmpFlags: case Operand::Args:
        break;
      case Operand::Reg: case Operand::IntReg: case Operand::RatioReg: case Operand::TextReg:
      case Operand::StructReg: case Operand::ListReg:
        item(fmt::format("%{}", x));
        break;
      case Operand::Count: {
        std::string args;
        for (uint32_t k = 0; k < x; ++k) args += fmt::format("{}%{}", k ? ", " : "", in.b + k);
        out += "(" + args + ")";
        break;
      }
      case Operand::Const: item(m.format_value(m.constants[x], m.constant_types[x], false)); break;
      case Operand::Param: item(m.params[x].name); break;
      case Operand::Func: item("@" + m.functions[x].name); break;
      case Operand::Field: {
        const Type& t = m.types.get(f.regs[in.a]);
        out += "." + (t.kind == TypeKind::Struct ? m.structs[t.ref].fields[x].name : std::to_string(x));
        break;
      }
      case Operand::Target: item(fmt::format("L{}", x)); break;
      case Operand::Round: {
        static const char* const kModes[] = {"half_up", "down", "up"};
        out += std::string(" ") + (x < std::size(kModes) ? kModes[x] : "?");
        break;
      }
      case Operand::DateFlag: out += x ? " (date)" : ""; break;
      case Operand::Exception: item(fmt::format("#{}", x)); break;
      case Operand::Extreme: item(x == 0 ? "max" : "min"); break;
      case Operand::Juris: item(x < m.jurisdictions.size() ? m.jurisdictions[x].name : std::to_string(x)); break;
      case Operand::Node: item(fmt::format("node {}", x)); break;
    }
  }
  return out;
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
  for (const auto& in : f.code)
    for (size_t i = 0; i < 5; ++i)
      if (op_info(in.op).operands[i] == Operand::Target) targets.insert(in.operand(i));
  for (uint32_t i = 0; i < f.code.size(); ++i) {
    if (targets.count(i)) out += fmt::format(" L{}:\n", i);
    const auto& in = f.code[i];
    const std::string ops = operands(m, f, in);
    const std::string tail = ops.empty() ? "" : " " + ops;
    if (is_output(op_info(in.op).operands[0]))
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
