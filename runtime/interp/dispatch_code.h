// The code as the interpreter's dispatch loop runs it: a function's IR
// decoded once, at construction, into what each handler reads directly.
//
// - Field and ListGet told where their value lies in the record's words
//   (record_layout.h): Field's c = the field's word in its structure, d = 1
//   if it takes two words; ListGet's c = the words an element takes (both
//   0 in the module: opcodes.def's None).
// - (prepare_for_dispatch) a two-word Field or ListGet gets an opcode of
//   its own, so neither handler tests the width; a constant is held in
//   its instruction (kOpImmediate); and every register
//   operand becomes the register's byte offset in the frame, so a handler
//   adds it to the frame's address without scaling it first.
//
// The untraced code (untraced_code.h) is made from the decoded code before
// it is prepared: its rewriting reads registers as indices and opcodes as
// the IR's.
#pragma once
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "runtime/ir/ir.h"
#include "runtime/value/value.h"

namespace doudi::interp {

// Opcodes of the interpreter's own, after the IR's (never in a module).
inline constexpr uint8_t kOpStep = ir::kNumOps;            // one step of the budget, failing at location loc
inline constexpr uint8_t kOpZero = ir::kNumOps + 1;        // dst = kZeros[a]
inline constexpr uint8_t kOpFieldWide = ir::kNumOps + 2;   // Field of a two-word value
inline constexpr uint8_t kOpListGetWide = ir::kNumOps + 3; // ListGet of two-word elements
inline constexpr uint8_t kOpImmediate = ir::kNumOps + 4;   // dst = the value a..d hold (immediate_value)
inline constexpr uint8_t kOpBranchLt = ir::kNumOps + 5;    // dst = a < b; if so go to c, else to d
inline constexpr uint8_t kOpBranchLe = ir::kNumOps + 6;    // dst = a ≤ b; if so go to c, else to d
// A backward jump to a kOpBranchLt/Le whose targets both lie ahead of it,
// taking its place: the jump's step (at loc), then the comparison and
// branch, which count none.
inline constexpr uint8_t kOpStepBranchLt = ir::kNumOps + 9;
inline constexpr uint8_t kOpStepBranchLe = ir::kNumOps + 10;
// The call of a parameterless function inlined (untraced_code.h): its
// memo read into dst and a jump to b, else a step at loc; at each of its
// returns, register b into its memo and dst.
inline constexpr uint8_t kOpMemoEnter = ir::kNumOps + 7;   // function a
inline constexpr uint8_t kOpMemoLeave = ir::kNumOps + 8;   // function a
inline constexpr size_t kNumInternalOps = ir::kNumOps + 11;

// The kinds of an instruction's operands (dst, a, b, c, d): opcodes.def's
// for the IR's opcodes, the interpreter's own as defined above.
const ir::Operand* operand_kinds(ir::Op op);
inline bool has_target(const ir::Inst& in) {
  const ir::Operand* k = operand_kinds(in.op);
  return std::find(k, k + 5, ir::Operand::Target) != k + 5;
}

// Whether control never goes on to the next instruction (a jump, a
// branch, a return, an error).
inline bool ends_flow(ir::Op op) {
  const auto o = static_cast<uint8_t>(op);
  if (o == kOpBranchLt || o == kOpBranchLe || o == kOpStepBranchLt || o == kOpStepBranchLe) return true;
  return o < ir::kNumOps && ir::op_info(op).flow == ir::Flow::Ends;
}

// An instruction's operand fields in the order of the kinds.
inline std::array<uint32_t*, 5> operand_fields(ir::Inst& in) { return {&in.dst, &in.a, &in.b, &in.c, &in.d}; }
inline std::array<uint32_t, 5> operand_values(const ir::Inst& in) { return {in.dst, in.a, in.b, in.c, in.d}; }
// The register `in` writes; UINT32_MAX: none.
inline uint32_t written(const ir::Inst& in) {
  return ir::is_output(operand_kinds(in.op)[0]) ? in.dst : UINT32_MAX;
}
// Each register `in` reads (a call: its arguments b .. b+c-1).
template <class Each>
void each_read(const ir::Inst& in, Each&& each) {
  const ir::Operand* kinds = operand_kinds(in.op);
  const auto values = operand_values(in);
  for (size_t k = 0; k < values.size(); ++k) {
    if (kinds[k] == ir::Operand::Args)
      for (uint32_t r = 0; r < in.c; ++r) each(values[k] + r);
    else if (ir::is_register(kinds[k]) && !ir::is_output(kinds[k]))
      each(values[k]);
  }
}
// Whether instruction i of `code` is a jump's or branch's target (i =
// code.size(): past the end).
std::vector<bool> jump_targets(const std::vector<ir::Inst>& code);
// `in`'s targets moved by `place` (an old index → its new one).
void patch_targets(ir::Inst& in, const std::vector<uint32_t>& place);

// An instruction writing `v` to register `dst`: the value's two words in
// its operands a..d, read by one load instead of through the constants.
ir::Inst immediate(uint32_t dst, Value v, uint32_t loc);
inline Value immediate_value(const ir::Inst& in) {
  static_assert(offsetof(ir::Inst, d) == offsetof(ir::Inst, a) + 12 && sizeof(Value) == 16, "a..d hold a Value");
  Value v;
  std::memcpy(&v, reinterpret_cast<const char*>(&in) + offsetof(ir::Inst, a), sizeof v);
  return v;
}

// Function f's code with each Field and ListGet decoded.
std::vector<ir::Inst> decoded_code(const ir::Module& m, uint32_t f);

// `code` (decoded, or untraced code) with the wide reads' own opcodes and
// registers as byte offsets. The verifier's kMaxRegisters (2^20) and the
// inliner's few more keep every offset far inside 32 bits.
void prepare_for_dispatch(const ir::Module& m, std::vector<ir::Inst>& code);

// A prepared operand: the register at byte offset `offset` of frame `r`,
// and back to the register's index (a trace names registers by index).
inline Value& reg_at(Value* r, uint32_t offset) {
  return *reinterpret_cast<Value*>(reinterpret_cast<char*>(r) + offset);
}
inline const Value& reg_at(const Value* r, uint32_t offset) {
  return *reinterpret_cast<const Value*>(reinterpret_cast<const char*>(r) + offset);
}
inline uint32_t register_index(uint32_t offset) { return offset / sizeof(Value); }

}  // namespace doudi::interp
