// The IR: one compact, typed, side-effect-free form that both the
// interpreter and (later) the JIT execute. A module is self-contained: it
// carries the schema, parameter values per jurisdiction and the metadata the
// trace needs, so a decision can be replayed from the module alone.
#pragma once
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "runtime/ir/expr_tree.h"
#include "runtime/types/type_table.h"
#include "runtime/value/value.h"

namespace doudi::ir {

enum class Op : uint8_t {
#define OP(name, text, dst, a, b, c, d, flow, doc) name,
#include "runtime/ir/opcodes.def"
#undef OP
};

inline constexpr size_t kNumOps = 0
#define OP(name, text, dst, a, b, c, d, flow, doc) +1
#include "runtime/ir/opcodes.def"
#undef OP
    ;

// What an operand of an instruction holds: the dst, a, b, c, d columns of
// opcodes.def.
enum class Operand : uint8_t {
  None,       // unused, always 0
  Out,        // register written with what the instruction reads (a constant,
              // parameter, field, list element, callee's result, the record)
  OutInt,     // register written with an integer-like value
  OutRatio,   // register written with a ratio
  Reg,        // register read whole, of any type
  IntReg,     // register read as an integer-like value
  RatioReg,   // register read as a ratio
  TextReg,    // register read as text
  StructReg,  // register holding a record structure (not optional)
  ListReg,    // register holding a list (not optional)
  Args,       // the first of the argument registers of a call
  Count,      // the number of argument registers
  Const,      // index into Module::constants
  Param,      // index into Module::params
  Func,       // index into Module::functions
  Field,      // index of a field of register a's structure
  Target,     // index of an instruction of the same function
  Round,      // rounding mode: 0 四舍五入 (half up), 1 down, 2 up
  DateFlag,   // 0: register b is a year-month, 1: a date
  CmpFlags,   // bits of a comparison for the trace (1 source, 2 swapped, 4 negated)
  Exception,  // index of an exception among the branches of rule function a
  Extreme,    // 0 max, 1 min
  Juris,      // index into Module::jurisdictions
  Node,       // index into the function's explanation tree
};

inline bool is_output(Operand k) { return k == Operand::Out || k == Operand::OutInt || k == Operand::OutRatio; }
inline bool is_register(Operand k) { return is_output(k) || (k >= Operand::Reg && k <= Operand::ListReg); }

enum class Flow : uint8_t { Next, Ends };

struct OpInfo {
  const char* name;
  Operand operands[5];  // dst, a, b, c, d
  Flow flow;
};

// Valid for op < kNumOps only (a bundle's opcodes are range-checked on reading).
const OpInfo& op_info(Op op);
const char* op_name(Op op);

using Reg = uint32_t;

struct Inst {
  Op op;
  Reg dst = 0;
  uint32_t a = 0, b = 0, c = 0, d = 0;
  uint32_t loc = 0;  // index into Module::locations, for error messages and rounding notes

  // Operand i in the order of OpInfo::operands: dst, a, b, c, d.
  uint32_t operand(size_t i) const {
    const uint32_t all[] = {dst, a, b, c, d};
    return all[i];
  }
};

// Each register an instruction whose operands are of `kinds` reads: a
// register operand that is not its output, and a call's argument run
// b .. b+c-1 (Args with Count).
template <typename Visit>
void each_register_read(const Inst& in, const Operand* kinds, Visit&& visit) {
  for (size_t slot = 0; slot < 5; ++slot) {
    if (kinds[slot] == Operand::Args)
      for (uint32_t i = 0; i < in.c; ++i) visit(in.operand(slot) + i);
    else if (is_register(kinds[slot]) && !is_output(kinds[slot]))
      visit(in.operand(slot));
  }
}

enum class FunctionKind : uint8_t { Definition, Rule, Default, ExceptionCondition, ExceptionValue, Flag, Constraint };

struct Function {
  std::string name;        // e.g. 低保资格, 低保资格#default, 低保资格#单人户.when (its condition), 低保资格#单人户, flag:名称
  FunctionKind kind;
  uint32_t owner = UINT32_MAX;  // for branch functions: the rule function
  std::string label;            // exception label
  uint32_t num_params = 0;
  TypeId result = 0;
  std::vector<TypeId> regs;     // type of every register; params first
  std::vector<Inst> code;
  uint32_t loc = 0;
  std::vector<std::string> citations;
  std::vector<std::string> notes;       // 解释
  std::vector<std::string> provisions;  // 编号: rows of the provisions registry
  // The body as written (root last), for explanations; empty for a rule's
  // dispatch function and in bundles made before explanations read it.
  std::vector<ExprNode> tree;
  bool memoizable() const { return num_params == 0; }
};

struct Location {
  std::string file;  // within its import root (huining/urban_dibao.doudi): in bundles and logs
  uint32_t line = 0, column = 0;
  std::string text;  // the source text of the expression, for messages
  // The path the compiler was given (cwd-relative), for messages on a
  // terminal; empty in a module read from a bundle. Never written out.
  std::string shown;
  const std::string& display() const { return shown.empty() ? file : shown; }
};

struct Field {
  std::string name;
  TypeId type;
  bool sensitive = false;
  bool required = false;
  std::optional<Value> default_value;
  bool signed_ = false;  // 可为负: the loader accepts negative amounts and numbers
};

struct Struct {
  std::string name;
  std::vector<Field> fields;
};

struct Enum {
  std::string name;
  std::vector<std::string> values;
};

struct ParamValue {
  uint32_t jurisdiction = UINT32_MAX;  // UINT32_MAX: everywhere
  int64_t from = INT64_MIN, until = INT64_MAX;  // day numbers, inclusive
  Value value;
  std::vector<std::string> citations;
  std::vector<std::string> provisions;
  uint32_t loc = 0;
};

struct Param {
  std::string name;
  TypeId type;
  std::vector<ParamValue> values;
};

struct Jurisdiction {
  std::string name;
  uint32_t parent = UINT32_MAX;
};

struct Flag {
  std::string name;
  uint32_t function;  // condition
  std::string message;
  std::vector<std::string> citations;
};

// A condition on parameters that must hold in its jurisdiction and those
// below it (all, if jurisdiction is UINT32_MAX) on the days of its validity.
struct Constraint {
  std::string label;  // may be empty
  uint32_t function;
  uint32_t jurisdiction = UINT32_MAX;
  int64_t from = INT64_MIN, until = INT64_MAX;
  std::vector<std::string> citations;
};

struct Output {
  std::string name;
  uint32_t function;
};

struct Module {
  // Text values point into `strings`: a copy would point into the original,
  // so modules move and never copy.
  Module() = default;
  Module(Module&&) = default;
  Module& operator=(Module&&) = default;
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

  std::string name;  // the root module
  TypeTable types;
  std::vector<Enum> enums;
  std::vector<Struct> structs;
  TypeId input_type = 0;
  std::string input_name;
  std::vector<Param> params;
  std::vector<Jurisdiction> jurisdictions;
  std::vector<Function> functions;
  std::vector<Value> constants;
  std::vector<TypeId> constant_types;
  std::deque<std::string> strings;  // text constants
  std::vector<Location> locations;
  std::vector<Flag> flags;
  std::vector<Constraint> constraints;
  std::vector<Output> outputs;

  uint32_t find_jurisdiction(const std::string& n) const;
  // The value of `param` in force in `jurisdiction` on `day`: the nearest
  // jurisdiction's first, then one set at the declaration; UINT32_MAX if none.
  uint32_t value_in_force(uint32_t param, uint32_t jurisdiction, int64_t day) const;
  // The parent of jurisdiction `j` (UINT32_MAX for a root or out of range).
  uint32_t parent_of(uint32_t j) const;
  // Whether `j` is `ancestor` or lies below it (everything lies below UINT32_MAX).
  bool is_within(uint32_t j, uint32_t ancestor) const;
  uint32_t find_function(const std::string& n) const;
  // Whether the functions carry explanation trees (bundles made before them do not).
  bool has_explanation_trees() const;
  std::string type_name(TypeId t, bool zh) const;
  std::string format_value(Value v, TypeId t, bool zh) const;
};

// Human-readable listing, stable for golden tests. It names what it refers
// to (functions, parameters, fields) and prints constants by value, so the
// listing of one function or parameter does not depend on its position.
std::string print_module(const Module& m);
std::string print_function(const Module& m, uint32_t index);
std::string print_param(const Module& m, uint32_t index);

}  // namespace doudi::ir
