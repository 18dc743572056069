// A function's signature and instructions. Every operand is checked by its
// kind in opcodes.def; what relates operands to each other (the type written
// into an Out register and what it is read from, a call and its callee, a
// return and the function's result, a conflict and its rule) is in `typing`.
#include <optional>

#include "runtime/ir/verify_internal.h"

namespace doudi::ir::verify_detail {
namespace {

const char* const kSlot[] = {"dst", "a", "b", "c", "d"};

const char* rep_text(Rep r) {
  switch (r) {
    case Rep::Int: return "an integer-like value";
    case Rep::Ratio: return "a ratio";
    case Rep::Text: return "text";
    case Rep::Struct: return "a record structure";
    case Rep::List: return "a list";
    case Rep::None: break;
  }
  return "no value";
}

class CodeChecker {
 public:
  CodeChecker(const Module& m, const ModuleFacts& facts, uint32_t index, Problems& problems)
      : m_(m), facts_(facts), fi_(index), f_(m.functions[index]), p_(problems) {}

  void run() {
    for (ii_ = 0; ii_ < f_.code.size(); ++ii_) {
      const Inst& in = f_.code[ii_];
      if (static_cast<size_t>(in.op) >= kNumOps) {
        problem("unknown opcode {}", static_cast<int>(in.op));
        continue;
      }
      const OpInfo& info = op_info(in.op);
      bool ok = true;
      for (size_t k = 0; k < 5; ++k) ok &= operand(in, info.operands[k], k);
      // The typing looks through the indices, so only when all are in range.
      if (ok) typing(in);
      if (in.loc >= m_.locations.size()) problem("source location #{} out of range", in.loc);
    }
  }

 private:
  template <typename... Args>
  void problem(fmt::format_string<Args...> format, Args&&... args) {
    p_.add(fi_, ii_, format, std::forward<Args>(args)...);
  }

  std::string reg_text(uint32_t r) const { return fmt::format("register %{} ({})", r, type_text(m_, f_.regs[r])); }

  // Checks one operand; false if an index is out of range or a register's
  // type does not fit.
  bool operand(const Inst& in, Operand kind, size_t slot) {
    const uint32_t x = in.operand(slot);
    auto at_most = [&](uint32_t max, const char* what) {
      if (x > max) problem("operand {} ({}) is {}, at most {}", kSlot[slot], what, x, max);
      return true;
    };
    auto index = [&](size_t size, const char* what) {
      if (x < size) return true;
      problem("{} #{} out of range (the module has {})", what, x, size);
      return false;
    };
    if (is_register(kind) && x >= f_.regs.size()) {
      problem("register %{} out of range (the function has {})", x, f_.regs.size());
      return false;
    }
    switch (kind) {
      case Operand::None:
        if (x != 0) problem("operand {} is unused but is {}", kSlot[slot], x);
        return true;
      case Operand::Out:
        return writable(x, rep_of(m_.types, f_.regs[x]) != Rep::None, "a value");
      case Operand::OutInt: return writable(x, rep_of(m_.types, f_.regs[x]) == Rep::Int, rep_text(Rep::Int));
      case Operand::OutRatio: return writable(x, rep_of(m_.types, f_.regs[x]) == Rep::Ratio, rep_text(Rep::Ratio));
      case Operand::Reg: return readable(x, rep_of(m_.types, f_.regs[x]) != Rep::None, "a value");
      case Operand::IntReg: return readable(x, rep_of(m_.types, f_.regs[x]) == Rep::Int, rep_text(Rep::Int));
      case Operand::RatioReg: return readable(x, rep_of(m_.types, f_.regs[x]) == Rep::Ratio, rep_text(Rep::Ratio));
      case Operand::TextReg: return readable(x, rep_of(m_.types, f_.regs[x]) == Rep::Text, rep_text(Rep::Text));
      // An absent structure or list has no slots to read.
      case Operand::StructReg:
        return readable(x, m_.types.kind(f_.regs[x]) == TypeKind::Struct, "a record structure (not optional)");
      case Operand::ListReg: return readable(x, m_.types.kind(f_.regs[x]) == TypeKind::List, "a list (not optional)");
      case Operand::Args: return true;  // with Count
      case Operand::Count:
        if (uint64_t{in.b} + x <= f_.regs.size()) return true;
        if (x == 0) problem("argument register %{} out of range (the function has {})", in.b, f_.regs.size());
        else problem("argument registers %{} .. %{} out of range (the function has {})", in.b, uint64_t{in.b} + x - 1,
                     f_.regs.size());
        return false;
      case Operand::Const: return index(std::min(m_.constants.size(), m_.constant_types.size()), "constant");
      case Operand::Param: return index(m_.params.size(), "parameter");
      case Operand::Func: return index(m_.functions.size(), "function");
      case Operand::Field: return true;      // in typing, once register a is known to be a structure
      case Operand::Exception: return true;  // in typing, once function a is known
      case Operand::Target:
        if (x < f_.code.size()) return true;
        problem("jump target {} out of range (the function has {} instructions)", x, f_.code.size());
        return false;
      case Operand::Round: return at_most(2, "rounding mode");
      case Operand::DateFlag: return at_most(1, "date flag");
      case Operand::CmpFlags: return at_most(7, "comparison flags");
      case Operand::Extreme: return at_most(1, "max or min");
      case Operand::Juris: return index(m_.jurisdictions.size(), "jurisdiction");
      case Operand::Node: return index(f_.tree.size(), "explanation node");
    }
    return true;
  }

  bool readable(uint32_t r, bool ok, const char* want) {
    if (!ok) problem("{} is read as {}", reg_text(r), want);
    return ok;
  }
  bool writable(uint32_t r, bool ok, const char* what) {
    if (!ok) problem("{} cannot hold {}", reg_text(r), what);
    return ok;
  }

  // The type of what an instruction writes into an Out register.
  std::optional<TypeId> source_type(const Inst& in) {
    switch (in.op) {
      case Op::Const: return m_.constant_types[in.a];
      case Op::Mov: return f_.regs[in.a];
      case Op::Param: case Op::ParamLastYear: case Op::ParamAt: return m_.params[in.a].type;
      case Op::Field: return field_type(in);
      case Op::ListGet: return m_.types.get(f_.regs[in.a]).elem;
      case Op::Call: return m_.functions[in.a].result;
      case Op::Input:
        if (m_.input_type != 0) return m_.input_type;
        problem("reads the record, but the module has no input");
        return std::nullopt;
      default:
        problem("no typing rule for `{}`", op_name(in.op));
        return std::nullopt;
    }
  }

  std::optional<TypeId> field_type(const Inst& in) {
    const auto& st = m_.structs[m_.types.get(f_.regs[in.a]).ref];
    if (in.b < st.fields.size()) return st.fields[in.b].type;
    problem("field #{} out of range (`{}` has {})", in.b, st.name, st.fields.size());
    return std::nullopt;
  }

  bool same_value(TypeId x, TypeId y) const {
    return strip_optional(m_.types, x) == strip_optional(m_.types, y);
  }

  void typing(const Inst& in) {
    const OpInfo& info = op_info(in.op);
    // Lowering gives the register exactly the type of what is read into it;
    // only a move may add or drop Optional layers (`或`, a present value
    // passed where an optional one is expected).
    if (info.operands[0] == Operand::Out) {
      const auto t = source_type(in);
      if (t && (in.op == Op::Mov ? !same_value(f_.regs[in.dst], *t) : f_.regs[in.dst] != *t))
        problem("{} cannot hold {}", reg_text(in.dst), type_text(m_, *t));
    }
    switch (in.op) {
      case Op::Call: {
        const Function& callee = m_.functions[in.a];
        if (in.c != callee.num_params) {
          problem("`{}` takes {} arguments, given {}", callee.name, callee.num_params, in.c);
          break;
        }
        for (uint32_t i = 0; i < in.c && i < callee.regs.size(); ++i)
          if (f_.regs[in.b + i] != callee.regs[i])
            problem("argument {} is {}, `{}` takes {}", i + 1, reg_text(in.b + i), callee.name,
                    type_text(m_, callee.regs[i]));
        break;
      }
      case Op::Ret:
        if (!same_value(f_.regs[in.a], f_.result))
          problem("returns {} from a function returning {}", reg_text(in.a), type_text(m_, f_.result));
        break;
      case Op::Conflict: {
        const Function& rule = m_.functions[in.a];
        for (uint32_t r : {in.c, in.dst})
          if (!same_value(f_.regs[r], rule.result))
            problem("{} is not a value of `{}` ({})", reg_text(r), rule.name, type_text(m_, rule.result));
        if (in.d >= facts_.branches[in.a])
          problem("exception #{} out of range (branches of `{}`: {})", in.d, rule.name, facts_.branches[in.a]);
        break;
      }
      default: break;
    }
  }

  const Module& m_;
  const ModuleFacts& facts_;
  const uint32_t fi_;
  const Function& f_;
  Problems& p_;
  uint32_t ii_ = UINT32_MAX;
};

}  // namespace

void verify_function(const Module& m, const ModuleFacts& facts, uint32_t index, Problems& problems) {
  const Function& f = m.functions[index];
  if (static_cast<size_t>(f.kind) > static_cast<size_t>(FunctionKind::Constraint))
    problems.add(index, kWhole, "unknown function kind {}", static_cast<int>(f.kind));
  bool types_ok = f.result < m.types.size();
  if (!types_ok)
    problems.add(index, kWhole, "result type #{} out of range (the module has {})", f.result, m.types.size());
  for (uint32_t r = 0; r < f.regs.size(); ++r)
    if (f.regs[r] >= m.types.size()) {
      problems.add(index, kWhole, "type #{} of register %{} out of range (the module has {})", f.regs[r], r,
                   m.types.size());
      types_ok = false;
    }
  if (f.num_params > f.regs.size()) {
    problems.add(index, kWhole, "{} parameters but {} registers", f.num_params, f.regs.size());
    types_ok = false;
  }
  const bool branch = f.kind == FunctionKind::Default || f.kind == FunctionKind::ExceptionCondition ||
                      f.kind == FunctionKind::ExceptionValue;
  if (f.owner != UINT32_MAX && f.owner >= m.functions.size())
    problems.add(index, kWhole, "owner #{} out of range (the module has {} functions)", f.owner, m.functions.size());
  else if (branch && (f.owner == UINT32_MAX || (m.functions[f.owner].kind != FunctionKind::Rule &&
                                                 m.functions[f.owner].kind != FunctionKind::Definition)))
    // A definition has branches when jurisdictions add exceptions to it.
    problems.add(index, kWhole, "a branch function must be owned by a rule or definition function");
  if (f.loc >= m.locations.size()) problems.add(index, kWhole, "source location #{} out of range", f.loc);
  // The interpreter reads the next instruction without looking for the end.
  if (f.code.empty())
    problems.add(index, kWhole, "no instructions");
  else if (static_cast<size_t>(f.code.back().op) < kNumOps && op_info(f.code.back().op).flow == Flow::Next)
    problems.add(index, static_cast<uint32_t>(f.code.size() - 1), "the last instruction falls off the end");
  if (types_ok) {
    const size_t before = problems.count();
    CodeChecker(m, facts, index, problems).run();
    if (problems.count() == before && !f.code.empty()) verify_assigned(m, index, problems);
  }
  verify_tree(m, index, problems);
}

}  // namespace doudi::ir::verify_detail
