// The interpreter's code for an untraced decision: its decoded code
// (dispatch_code.h) with what only a trace needs left out, and the calls of
// small functions replaced by the functions' own untraced code (made
// callee first, so a callee's own calls come inlined with it), its
// registers placed after the caller's: the call's frame, its argument
// copies and its return cost more than the callee's work.
// - A function that takes arguments (a member's rule, called once per
//   member in a loop): a parameter it never writes is read where the
//   caller moved its argument from (that move left out when nothing else
//   reads its register), and a body ending `X = …; ret X` computes X
//   straight into the call's register.
// - A parameterless function is memoized: kOpMemoEnter reads its memo and
//   jumps past the body, or counts the call's step; kOpMemoLeave writes the
//   memo at each return.
// Then simplified_code.h shortens the whole. A traced decision runs the
// decoded code as the module has it, call by call, so an explanation still
// sees every call.
//
// Nothing here changes an answer, an error result or the steps counted: the
// inlined body first counts the step its call would have (kOpStep, at the
// callee's location), zeroes the registers the call would have zeroed
// (kOpZero), then runs the callee's instructions in their order, so a jump
// back in it is still a round of a loop and every error names the same
// place.
#pragma once
#include <cstdint>
#include <utility>
#include <vector>

#include "runtime/interp/dispatch_code.h"
#include "runtime/ir/ir.h"
#include "runtime/value/value.h"

namespace doudi::interp {

// The safe zeros a register starts at when a path reads it before writing:
// a whole number (any integer-like value; a list of nothing; a text of
// address 0, read as empty), absent (an optional), the ratio 0/1.
enum Zero : uint32_t { kZeroWhole, kZeroAbsent, kZeroRatio };
inline const Value kZeros[] = {Value::of(0), Value::absent(), Value::of_ratio(Ratio{0, 1})};
inline Zero zero_of(TypeKind k) {
  return k == TypeKind::Optional ? kZeroAbsent : k == TypeKind::Ratio ? kZeroRatio : kZeroWhole;
}
// Per function, the registers some path reads before writing, each with its
// zero (Interpreter's zeroed_, set on entry).
using ZeroedRegisters = std::vector<std::vector<std::pair<uint32_t, Zero>>>;

struct UntracedCode {
  std::vector<ir::Inst> code;
  uint32_t frame = 0;  // registers: the function's, then each inlined call's
  // Of the function's registers zeroed on entry, those this code reads.
  std::vector<std::pair<uint32_t, Zero>> zeroed;
};

// Every function's untraced code, from the decoded code of every function
// and the registers each zeroes on entry.
std::vector<UntracedCode> untraced_codes(const ir::Module& m, const std::vector<std::vector<ir::Inst>>& decoded,
                                         const ZeroedRegisters& zeroed);

}  // namespace doudi::interp
