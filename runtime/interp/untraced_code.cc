#include "runtime/interp/untraced_code.h"

#include "runtime/interp/simplified_code.h"

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

// `in` with each register r renamed to place[r] (a callee's register to
// its place in the caller's frame).
ir::Inst renamed(const ir::Inst& in, const std::vector<uint32_t>& place) {
  ir::Inst out = in;
  const ir::Operand* kinds = operand_kinds(in.op);
  const auto fields = operand_fields(out);
  for (size_t k = 0; k < fields.size(); ++k)
    if (ir::is_register(kinds[k]) || kinds[k] == ir::Operand::Args) *fields[k] = place[*fields[k]];
  return out;
}

bool zeroes(const std::vector<std::pair<uint32_t, Zero>>& zeroed, uint32_t reg) {
  return std::any_of(zeroed.begin(), zeroed.end(), [&](const auto& z) { return z.first == reg; });
}

// A call of g at `at` in f's code, inlined: where each argument is read
// from, and which of the moves filling them nothing else needs.
struct Arguments {
  std::vector<uint32_t> source;  // per parameter: a register of the caller
  std::vector<size_t> dead_moves;
};

// Lowering fills a call's argument registers b .. b+c-1 by moves just
// before it. A parameter the callee never writes is read, in the inlined
// body, straight from the register its argument was moved from (the move
// then sits off the path the value takes); the move itself is left out
// when nothing else reads its register. The moves are followed back only
// while no jump lands among them (on such a path they might not have run)
// and only from registers outside b .. b+c-1 (a later move may overwrite
// those).
Arguments arguments(uint32_t f, size_t at, const std::vector<ir::Inst>& code,
                    const std::vector<ir::Inst>& body, const std::vector<bool>& targets,
                    const std::vector<uint32_t>& reads, const ZeroedRegisters& zeroed) {
  const ir::Inst& call = code[at];
  const uint32_t g = call.a, first = call.b, count = call.c;
  Arguments out;
  for (uint32_t k = 0; k < count; ++k) out.source.push_back(first + k);
  std::vector<bool> followed(count, false);
  for (size_t j = at; j > 0 && !targets[j]; --j) {
    const ir::Inst& mv = code[j - 1];
    if (mv.op != Op::Mov || mv.dst < first || mv.dst >= first + count) break;
    if (mv.a >= first && mv.a < first + count) break;
    const uint32_t k = mv.dst - first;
    if (followed[k]) continue;  // an earlier move, overwritten by the one followed
    followed[k] = true;
    bool written_by_callee = zeroes(zeroed[g], k);
    for (const ir::Inst& b : body) written_by_callee = written_by_callee || written(b) == k;
    if (written_by_callee) continue;
    out.source[k] = mv.a;
    if (reads[mv.dst] == 1 && !zeroes(zeroed[f], mv.dst)) out.dead_moves.push_back(j - 1);
  }
  return out;
}

// Whether g's body ends by computing its result and returning it at once,
// its only return: `X = …; ret X`, with X written and read nowhere else
// and no jump to the return. The inlined body then computes the result
// straight into the call's register.
bool result_forwarded(const ir::Module& m, uint32_t g, const std::vector<ir::Inst>& body,
                      const ZeroedRegisters& zeroed) {
  const size_t n = body.size();
  if (n < 2 || body[n - 1].op != Op::Ret) return false;
  const uint32_t x = body[n - 1].a;
  if (written(body[n - 2]) != x || x < m.functions[g].num_params || zeroes(zeroed[g], x)) return false;
  if (jump_targets(body)[n - 1]) return false;
  size_t writes = 0, uses = 0, returns = 0;
  for (const ir::Inst& b : body) {
    writes += written(b) == x;
    returns += b.op == Op::Ret;
    each_read(b, [&](uint32_t r) { uses += r == x; });
  }
  return writes == 1 && uses == 1 && returns == 1;
}

}  // namespace

UntracedCode untraced_code(const ir::Module& m, uint32_t f, const std::vector<std::vector<ir::Inst>>& decoded,
                           const ZeroedRegisters& zeroed) {
  const std::vector<ir::Inst>& code = decoded[f];
  UntracedCode out;
  // Inlined bodies' registers: one block after the caller's own.
  const auto base = static_cast<uint32_t>(m.functions[f].regs.size());
  out.frame = base;
  const std::vector<bool> targets = jump_targets(code);
  std::vector<uint32_t> reads(base, 0);
  for (const ir::Inst& in : code)
    if (in.op != Op::Iteration) each_read(in, [&](uint32_t r) { ++reads[r]; });
  // Per inlined call, its arguments; the moves left out.
  std::vector<Arguments> args(code.size());
  std::vector<bool> left_out(code.size(), false);
  for (size_t i = 0; i < code.size(); ++i) {
    if (code[i].op != Op::Call || !inlinable(m, f, code[i].a, decoded)) continue;
    args[i] = arguments(f, i, code, decoded[code[i].a], targets, reads, zeroed);
    for (size_t j : args[i].dead_moves) left_out[j] = true;
  }
  // place[i]: where instruction i (or, left out, the next one kept) begins.
  std::vector<uint32_t> place(code.size() + 1, 0);
  std::vector<size_t> own_jumps;  // the caller's jumps and branches, patched by place
  for (size_t i = 0; i < code.size(); ++i) {
    const ir::Inst& in = code[i];
    place[i] = static_cast<uint32_t>(out.code.size());
    if (in.op == Op::Iteration || left_out[i]) continue;  // a trace's only; an unread move
    if (in.op != Op::Call || !inlinable(m, f, in.a, decoded)) {
      if (has_target(in)) own_jumps.push_back(out.code.size());
      out.code.push_back(in);
      continue;
    }
    const uint32_t g = in.a;
    const ir::Function& callee = m.functions[g];
    const std::vector<ir::Inst>& body = decoded[g];
    out.frame = std::max(out.frame, base + static_cast<uint32_t>(callee.regs.size()));
    // The callee's registers in the caller's frame: its block, or for a
    // parameter it never writes, where its argument came from.
    std::vector<uint32_t> reg(callee.regs.size());
    for (uint32_t r = 0; r < reg.size(); ++r) reg[r] = base + r;
    // What call() does on entry: a step, the arguments, the zeroed registers.
    out.code.push_back(ir::Inst{static_cast<Op>(kOpStep), 0, 0, 0, 0, 0, callee.loc});
    for (uint32_t k = 0; k < in.c; ++k) {
      if (args[i].source[k] != in.b + k) {
        reg[k] = args[i].source[k];
        continue;
      }
      out.code.push_back(ir::Inst{Op::Mov, base + k, in.b + k, 0, 0, 0, in.loc});
    }
    for (const auto& [r, zero] : zeroed[g])
      out.code.push_back(ir::Inst{static_cast<Op>(kOpZero), base + r, zero, 0, 0, 0, callee.loc});
    // The body; each return becomes a move into the call's register and a
    // jump past the body (none after the last instruction), or the result
    // is computed into the call's register.
    const bool forwarded = result_forwarded(m, g, body, zeroed);
    std::vector<uint32_t> body_place(body.size() + 1, 0);
    std::vector<size_t> body_jumps, exits;
    for (size_t j = 0; j < body.size(); ++j) {
      body_place[j] = static_cast<uint32_t>(out.code.size());
      const ir::Inst& b = body[j];
      if (b.op == Op::Iteration) continue;
      if (forwarded && j + 2 >= body.size()) {
        if (b.op == Op::Ret) continue;
        out.code.push_back(renamed(b, reg));
        out.code.back().dst = in.dst;
        continue;
      }
      if (b.op == Op::Ret) {
        out.code.push_back(ir::Inst{Op::Mov, in.dst, reg[b.a], 0, 0, 0, b.loc});
        if (j + 1 < body.size()) {
          exits.push_back(out.code.size());
          out.code.push_back(ir::Inst{Op::Jump, 0, 0, 0, 0, 0, b.loc});
        }
        continue;
      }
      if (has_target(b)) body_jumps.push_back(out.code.size());
      out.code.push_back(renamed(b, reg));
    }
    body_place[body.size()] = static_cast<uint32_t>(out.code.size());
    for (size_t at : body_jumps) patch_targets(out.code[at], body_place);
    for (size_t at : exits) out.code[at].a = static_cast<uint32_t>(out.code.size());
  }
  place[code.size()] = static_cast<uint32_t>(out.code.size());
  for (size_t at : own_jumps) patch_targets(out.code[at], place);
  simplify(m, f, zeroed, out.frame, out.code);
  return out;
}

}  // namespace doudi::interp
