// The code as the interpreter's dispatch loop runs it: a function's IR
// decoded at construction (and again, unprepared, when the untraced code is
// made from it) into what each handler reads directly.
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

// Opcodes of the interpreter's own, after the IR's (never in a module):
// kOpStep, kOpZero, ... as internal_ops.def lists them.
enum InternalOp : uint8_t {
  kOpBeforeInternal = ir::kNumOps - 1,
#define DOUDI_INTERNAL_OP(name, dst, a, b, c, d, flow, doc) kOp##name,
#include "runtime/interp/internal_ops.def"
#undef DOUDI_INTERNAL_OP
  kOpPastInternal
};
inline constexpr size_t kNumInternalOps = kOpPastInternal;

// The kinds of an instruction's operands (dst, a, b, c, d) and whether
// control never goes on to the next instruction (a jump, a branch, a
// return, an error): opcodes.def's for the IR's, internal_ops.def's for
// the interpreter's own.
const ir::Operand* operand_kinds(ir::Op op);
bool ends_flow(ir::Op op);
inline bool has_target(const ir::Inst& in) {
  const ir::Operand* k = operand_kinds(in.op);
  return std::find(k, k + 5, ir::Operand::Target) != k + 5;
}

// An instruction's operand fields in the order of the kinds.
inline std::array<uint32_t*, 5> operand_fields(ir::Inst& in) { return {&in.dst, &in.a, &in.b, &in.c, &in.d}; }
// The register `in` writes; UINT32_MAX: none.
inline uint32_t written(const ir::Inst& in) {
  return ir::is_output(operand_kinds(in.op)[0]) ? in.dst : UINT32_MAX;
}
// Each register `in` reads (a call: its arguments b .. b+c-1).
template <class Each>
void each_read(const ir::Inst& in, Each&& each) {
  ir::each_register_read(in, operand_kinds(in.op), each);
}
// Each instruction index `in` may go to (besides the next).
template <class Each>
void each_target(const ir::Inst& in, Each&& each) {
  const ir::Operand* kinds = operand_kinds(in.op);
  for (size_t k = 0; k < 5; ++k)
    if (kinds[k] == ir::Operand::Target) each(in.operand(k));
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
