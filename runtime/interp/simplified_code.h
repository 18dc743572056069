// Untraced code made shorter after inlining (untraced_code.h), without
// changing an answer, an error result, a step counted or a location named:
//
// - A branch on a register only a constant ever writes becomes a jump; a
//   ToRatio of such a register, the ratio itself (kOpImmediate).
// - An integer comparison followed by a branch on its result becomes one
//   instruction (kOpBranchLt, kOpBranchLe), still writing the result.
// - A loop's backward jump to such a comparison becomes the comparison,
//   counting the jump's step (kOpStepBranchLt, kOpStepBranchLe).
// - `mov X, Y; ret X` returns Y.
// - Instructions control never reaches, instructions that cannot fail and
//   write a register nothing reads, and jumps to the next instruction are
//   left out (for up to eight rounds: leaving one out may leave another's
//   register unread).
//
// A register only a constant writes is written before any read: a register
// some path reads first is zeroed on entry (ZeroedRegisters, counted as a
// write here; inlined bodies zero theirs with kOpZero).
#pragma once
#include <cstdint>
#include <vector>

#include "runtime/interp/untraced_code.h"
#include "runtime/ir/ir.h"

namespace doudi::interp {

// `code`: function f's untraced code, its registers `frame`.
void simplify(const ir::Module& m, uint32_t f, const ZeroedRegisters& zeroed, uint32_t frame,
              std::vector<ir::Inst>& code);

}  // namespace doudi::interp
