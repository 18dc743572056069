#include "runtime/interp/untraced_code.h"

#include <algorithm>
#include <array>
#include <iterator>

namespace doudi::interp {
namespace {

using ir::Op;

// Callees of at most this many instructions and registers are inlined: a
// member's rule is a handful of each; a larger function's call costs
// little beside its work. Every inlined call of a function shares one
// block of registers after the caller's (the bodies never nest, and each
// starts by writing its arguments and zeroing what it reads first), so a
// frame grows by at most kInlineRegisters whatever a crafted module holds.
constexpr size_t kInlineAtMost = 48;
constexpr size_t kInlineRegisters = 64;

// Whether a call of g from f is replaced by g's body: g takes arguments
// (a parameterless function is memoized: its call is a memo read after
// the first), is small, is not f, and calls nothing itself (one level:
// the frames stay small and the rewriting simple).
bool inlinable(const ir::Module& m, uint32_t f, uint32_t g, const std::vector<std::vector<ir::Inst>>& decoded) {
  if (g == f || g >= m.functions.size() || m.functions[g].num_params == 0) return false;
  if (decoded[g].size() > kInlineAtMost || m.functions[g].regs.size() > kInlineRegisters) return false;
  for (const auto& in : decoded[g])
    if (in.op == Op::Call) return false;
  return true;
}

// An instruction's operands in the order of OpInfo::operands.
std::array<uint32_t*, 5> operands(ir::Inst& in) { return {&in.dst, &in.a, &in.b, &in.c, &in.d}; }

// `in` with its registers (by their kind, opcodes.def) moved by `base`.
ir::Inst moved(const ir::Inst& in, uint32_t base) {
  ir::Inst out = in;
  const auto& kinds = ir::op_info(in.op).operands;
  const auto fields = operands(out);
  for (size_t k = 0; k < fields.size(); ++k)
    if (ir::is_register(kinds[k]) || kinds[k] == ir::Operand::Args) *fields[k] += base;
  return out;
}

bool has_target(const ir::Inst& in) {
  const auto& kinds = ir::op_info(in.op).operands;
  return std::find(std::begin(kinds), std::end(kinds), ir::Operand::Target) != std::end(kinds);
}

// The targets of the instruction at `at` in `code` rewritten by `place`
// (an old index → its new one).
void patch(std::vector<ir::Inst>& code, size_t at, const std::vector<uint32_t>& place) {
  ir::Inst& in = code[at];
  const auto& kinds = ir::op_info(in.op).operands;
  const auto fields = operands(in);
  for (size_t k = 0; k < fields.size(); ++k)
    if (kinds[k] == ir::Operand::Target) *fields[k] = place[*fields[k]];
}

}  // namespace

UntracedCode untraced_code(const ir::Module& m, uint32_t f, const std::vector<std::vector<ir::Inst>>& decoded,
                           const ZeroedRegisters& zeroed) {
  const std::vector<ir::Inst>& code = decoded[f];
  UntracedCode out;
  // Inlined bodies' registers: one block after the caller's own.
  const auto base = static_cast<uint32_t>(m.functions[f].regs.size());
  out.frame = base;
  // place[i]: where instruction i (or, left out, the next one kept) begins.
  std::vector<uint32_t> place(code.size() + 1, 0);
  std::vector<size_t> own_jumps;  // the caller's jumps and branches, patched by place
  for (size_t i = 0; i < code.size(); ++i) {
    const ir::Inst& in = code[i];
    place[i] = static_cast<uint32_t>(out.code.size());
    if (in.op == Op::Iteration) continue;  // only a trace keeps anything
    if (in.op != Op::Call || !inlinable(m, f, in.a, decoded)) {
      if (has_target(in)) own_jumps.push_back(out.code.size());
      out.code.push_back(in);
      continue;
    }
    const uint32_t g = in.a;
    const ir::Function& callee = m.functions[g];
    out.frame = std::max(out.frame, base + static_cast<uint32_t>(callee.regs.size()));
    // What call() does on entry: a step, the arguments, the zeroed registers.
    out.code.push_back(ir::Inst{static_cast<Op>(kOpStep), 0, 0, 0, 0, 0, callee.loc});
    for (uint32_t k = 0; k < in.c; ++k) out.code.push_back(ir::Inst{Op::Mov, base + k, in.b + k, 0, 0, 0, in.loc});
    for (const auto& [reg, zero] : zeroed[g])
      out.code.push_back(ir::Inst{static_cast<Op>(kOpZero), base + reg, zero, 0, 0, 0, callee.loc});
    // The body; each return becomes a move into the call's register and a
    // jump past the body (none after the last instruction).
    const std::vector<ir::Inst>& body = decoded[g];
    std::vector<uint32_t> body_place(body.size() + 1, 0);
    std::vector<size_t> body_jumps, exits;
    for (size_t j = 0; j < body.size(); ++j) {
      body_place[j] = static_cast<uint32_t>(out.code.size());
      const ir::Inst& b = body[j];
      if (b.op == Op::Iteration) continue;
      if (b.op == Op::Ret) {
        out.code.push_back(ir::Inst{Op::Mov, in.dst, b.a + base, 0, 0, 0, b.loc});
        if (j + 1 < body.size()) {
          exits.push_back(out.code.size());
          out.code.push_back(ir::Inst{Op::Jump, 0, 0, 0, 0, 0, b.loc});
        }
        continue;
      }
      if (has_target(b)) body_jumps.push_back(out.code.size());
      out.code.push_back(moved(b, base));
    }
    body_place[body.size()] = static_cast<uint32_t>(out.code.size());
    for (size_t at : body_jumps) patch(out.code, at, body_place);
    for (size_t at : exits) out.code[at].a = static_cast<uint32_t>(out.code.size());
  }
  place[code.size()] = static_cast<uint32_t>(out.code.size());
  for (size_t at : own_jumps) patch(out.code, at, place);
  return out;
}

}  // namespace doudi::interp
