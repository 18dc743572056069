// The contract between the compiled engine (runtime/engine/compiled_engine.cc,
// in doudi_runtime) and the code libdoudi_jit.so generates from the IR
// (runtime/jit/lower.cc). Nothing here sees LLVM: the runtime loads the
// library with dlopen and calls through these types only.
//
// The code is entered through one function, kDecideRunSymbol (DecideRun,
// below), which decides a run of records (each an argument, a RecordView),
// one after another, in the context: every output's value into its outputs (one per Module::outputs,
// in their order), then whether each flag is raised into its raised bytes
// (one per Module::flags). It stops at a record that ends in an error
// result, after a helper has recorded it, with that record's arrays partly
// written (the caller reads nothing of them, as the interpreter unwinds),
// and before one too short to read in place or after one that spent its
// budget (DecideRun says how).
// The budget left is in Context::steps_left after every record, which the
// caller reads first: at or below zero, neither the answer nor the error is
// the reference's (see there). The arrays overlap
// nothing else the code reads or writes; either may be null when its count
// is 0. The record's memo (a parameterless function's result, computed once
// per decision) lives in that function's own stack frame and goes to the
// rules' functions by address: where LLVM inlines them all into it, the
// memo becomes registers and its checks fold away. The IR functions are
// internal to the generated code.
// What can fail and everything that is not plain integer work is done by the
// helpers below, which call the same code the interpreter calls, so the
// answers and the error results are the interpreter's by construction.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

#include "runtime/value/value.h"

namespace doudi::ir {
struct Module;
}

namespace doudi::jit {

// A parameter's value in force in the decision's context (found = 0: none,
// reading it is the E1005 error result).
struct ParamSlot {
  int64_t found;
  Value value;
};

// What generated code reads. Offsets matter: lower.cc addresses the fields
// by their index in this struct (ContextField below), so keep the order.
// The record being decided is not here but an argument of its own (a
// RecordView: its words, how many of them may be read, its root), so that
// one call can decide a run of households (kDecideRunSymbol) with the
// context's loads made once for them all.
struct Context {
  const Value* constants;     // the module's constants (text constants are addresses)
  const uint8_t* within;      // per jurisdiction: the decision's jurisdiction is it or lies below it
  int64_t month;              // the decision's year-month
  // Calls and backward jumps left (the interpreter's budget, at most
  // INT64_MAX). The code counts every step but stops only where a loop goes
  // round or a function it calls (one not inlined) begins, and the count is
  // at or below zero; the engine decides again with
  // the interpreter whenever it ends at or below zero (lower.cc, checked_step).
  int64_t steps_left;
  void* engine;               // the compiled engine's state, for the helpers
};
enum ContextField : unsigned { kConstants, kWithin, kMonth, kStepsLeft, kEngine };
static_assert(offsetof(Context, constants) == 0 && offsetof(Context, within) == 8 && offsetof(Context, month) == 16 &&
              offsetof(Context, steps_left) == 24 && offsetof(Context, engine) == 32 && sizeof(Context) == 40);

// The record argument: a RecordView whose `size` is how many of `words`
// may be read (record::ReadableWords::readable).
enum RecordField : unsigned { kWords, kReadable, kRoot };
static_assert(offsetof(RecordView, words) == 0 && offsetof(RecordView, size) == 8 && offsetof(RecordView, root) == 16 &&
              sizeof(RecordView) == 32);

// The engine allocates a Context and right after it the parameters' slots:
// one per parameter in force on the first day of the decision month, then one
// per parameter in force on 31 December of the previous year. Generated code
// reads a parameter at a fixed offset from the context, memory LLVM knows it
// may read on any path, so a parameter read inside a loop leaves the loop.
static_assert(sizeof(Context) % alignof(ParamSlot) == 0);
inline size_t context_bytes(size_t params) { return sizeof(Context) + 2 * params * sizeof(ParamSlot); }
inline ParamSlot* current_slots(Context* c) { return reinterpret_cast<ParamSlot*>(c + 1); }
inline ParamSlot* last_year_slots(Context* c, size_t params) { return current_slots(c) + params; }

// Decides records[0, count) in turn, each with the whole `budget` (into
// Context::steps_left) and its outputs and flags at outputs + i ×
// outputs-per-household and raised + i × flags; returns how many were
// decided before one that is shorter than `least` words (it needs padding,
// record::ReadableWords), ends in an error result (the engine's state
// holds it) or spends its budget (steps_left at or below zero). The engine
// decides that one itself; one household is a run of one.
using DecideRun = int64_t (*)(Context* ctx, const RecordView* records, int64_t count, Value* outputs, uint8_t* raised,
                              int64_t least, int64_t budget);
inline constexpr char kDecideRunSymbol[] = "doudi_jit_decide_run";

// Failures the generated code reports through doudi_jit_fail. Not E1008:
// a spent budget is the engine's to find (Context::steps_left).
enum class Failure : int64_t {
  Overflow,       // E1001
  ParamMissing,   // E1005: x = parameter, y = 0 current, 1 last year
  IndexOutside,   // E1009: x = index, y = length
  Gap,            // E1004: x = rule function
  EmptyAggregate, // E1006: x = 0 max, 1 min
};

// The helpers, by the names the generated code calls. Types: i = int64_t,
// w = int32_t, p = a pointer; the first letter is the result.
//   HELPER(name, signature)
#define DOUDI_JIT_HELPERS(HELPER)                                                                        \
  HELPER(doudi_jit_fail, "wpiiii")        /* (ctx, Failure, loc, x, y) → 1 */                          \
  HELPER(doudi_jit_conflict, "wpiiiiiiii") /* (ctx, loc, rule, first, c.a, c.b, dst.a, dst.b, second) → 1 */ \
  HELPER(doudi_jit_param_at, "wpiiiip")   /* (ctx, loc, param, when, is_date, Value* out) → status */  \
  HELPER(doudi_jit_ratio, "wpiiiiiip")    /* (ctx, loc, op, a.a, a.b, b.a, b.b, Value* out) → status */ \
  HELPER(doudi_jit_scale, "wpiiiiiip")    /* (ctx, loc, op, fen, b.a, b.b, mode, int64_t* out) → status */ \
  HELPER(doudi_jit_ratio_compare, "wiiii") /* (a.a, a.b, b.a, b.b) → -1, 0, 1 */                     \
  HELPER(doudi_jit_add_months, "wpiiip")  /* (ctx, loc, date, months, int64_t* out) → status */        \
  HELPER(doudi_jit_first_day, "wpiip")    /* (ctx, loc, year_month, int64_t* out) → status */          \
  HELPER(doudi_jit_text_equal, "wiiii")   /* (a.a, a.b, b.a, b.b) → 0, 1 */

// doudi_jit_ratio's op: the IR's AddR, SubR, MulR, DivR and DivToRatio.
enum RatioOp : int64_t { kRatioAdd, kRatioSub, kRatioMul, kRatioDiv, kRatioMake };
// doudi_jit_scale's op: MulMoneyRatio, DivMoneyInt, DivMoneyRatio.
enum ScaleOp : int64_t { kScaleMulRatio, kScaleDivInt, kScaleDivRatio };

struct HelperAddress {
  const char* name;
  const char* signature;
  void* address;
};

// Object code for one module, owned by the library that made it.
class CompiledCode {
 public:
  virtual ~CompiledCode() = default;
  DecideRun decide_run = nullptr;
};

// Both sides of this contract (and ir::Module's layout, which crosses it)
// must come from one build: the runtime refuses a library whose
// doudi_jit_abi() differs. Bump on any change to this file, to the IR, to
// the record layout (runtime/record/record_layout.h, compiled into lower.cc)
// or to the code lower.cc makes (or to the LLVM options jit_library.cc
// sets, tune_simplifycfg): the version is also part of the object
// code cache's key (doudi_jit_identity).
inline constexpr int kAbiVersion = 12;

// The library's entry points (looked up with dlsym; they never throw):
//   int doudi_jit_abi()  kAbiVersion as the library was built
//   bool doudi_jit_identity(std::string* identity, std::string* error)
//     what object code depends on besides the module (LLVM, CPU, lowering
//     version): part of the disk cache's key;
//   bool doudi_jit_emit(const ir::Module&, const HelperAddress*, size_t,
//                       std::string* object, std::string* error)
//     the module lowered, optimised and compiled to an object file;
//   CompiledCode* doudi_jit_load(const char* object, size_t size,
//                                const HelperAddress*, size_t, std::string* error)
//     an object file linked in memory, its kDecideRunSymbol looked up
//     (CompiledCode::decide_run; null on error).

}  // namespace doudi::jit
