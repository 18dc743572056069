// The IR verifier: what the interpreter assumes of a module, checked. The
// interpreter indexes registers, constants, parameters, fields and jump
// targets without bounds checks, reads text through pointers, and sizes its
// register stack for an acyclic call graph; a module that breaks one of these
// would make it read or write outside its frames. Every bundle is verified
// when read (bundle_read.cc), every compiled module when it becomes a rule
// set (RuleSet::from_module), and lowering's output in debug builds and in
// the tests (a problem there is a compiler bug). Not checked yet: registers
// read before they are written (lowering reads a rule's result register on
// paths that never wrote it), list indices (only the interpreter's loop
// bounds them), and `mov`/`ret` dropping an Optional layer of a value that is
// absent; a crafted bundle can still reach those.
//
// Instructions are checked by the operand kinds of opcodes.def, and typed as
// lowering types them: a register written by an instruction has exactly the
// type of what it reads (a `mov` may add or drop Optional layers), arguments
// exactly the callee's parameter types, and a returned register the
// function's result type up to Optional layers. Text values must point into
// the module's own `strings` (a copied Module's do not).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/ir/ir.h"

namespace doudi::ir {

struct Problem {
  uint32_t function = UINT32_MAX;     // Module::functions, or UINT32_MAX for the module
  uint32_t instruction = UINT32_MAX;  // that function's code, or UINT32_MAX for the function
  std::string message;                // English: lowercase, no trailing period, names in backticks
};

// At most this many problems are collected; the first is enough to refuse.
inline constexpr size_t kMaxProblems = 100;
// How deep a function's explanation tree may nest (the source's expressions
// nest far less; an explanation walks the tree recursively).
inline constexpr uint32_t kMaxTreeDepth = 256;
// How long a chain of calls may be (the interpreter and explanations recurse
// along calls; policies nest a few dozen deep).
inline constexpr uint32_t kMaxCallDepth = 256;
// Registers of all functions together (the shipped policies use a few
// thousand; the interpreter allocates them all, and up to 64 more per
// function for the small functions it inlines: runtime/interp/untraced_code.h).
inline constexpr size_t kMaxRegisters = size_t{1} << 20;
// How deep element types (list, optional, set) may nest.
inline constexpr uint32_t kMaxTypeDepth = 1000;

// All problems of the module (none: the interpreter may run it).
std::vector<Problem> verify_module(const Module& m);

// The type table alone: kinds, periods, built-in types in their places, and
// element types in range, acyclic and nested at most kMaxTypeDepth deep. A
// reader checks this before it reads values by their types; references into
// the enums and structs are checked with the module.
std::vector<Problem> verify_types(const Module& m);

// Registers of function `index` that some path reads before anything is
// written into them (verify_assigned.cc says why there are any). For a
// function whose instructions verify; the interpreter zeroes them on entry.
std::vector<uint32_t> read_before_written(const Module& m, uint32_t index);

// "function `f`, instruction 12 (call): …", naming what the problem is in.
std::string describe_problem(const Module& m, const Problem& p);

}  // namespace doudi::ir
