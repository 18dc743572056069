#include "runtime/interp/simplified_code.h"

#include <algorithm>

#include "runtime/interp/dispatch_code.h"

namespace doudi::interp {
namespace {

using ir::Op;

// How often each register is read and written over the code, and the last
// instruction writing it. A parameter and a register zeroed on entry are
// written once by call() before the code runs.
struct Registers {
  std::vector<uint32_t> reads, writes;
  std::vector<size_t> writer;

  Registers(const ir::Module& m, uint32_t f, const ZeroedRegisters& zeroed, uint32_t frame,
            const std::vector<ir::Inst>& code) {
    uint32_t size = frame;
    for (const ir::Inst& in : code) {
      each_read(in, [&](uint32_t r) { size = std::max(size, r + 1); });
      if (written(in) != UINT32_MAX) size = std::max(size, written(in) + 1);
    }
    reads.assign(size, 0);
    writes.assign(size, 0);
    writer.assign(size, SIZE_MAX);
    for (uint32_t r = 0; r < m.functions[f].num_params && r < size; ++r) ++writes[r];
    for (const auto& z : zeroed[f])
      if (z.first < size) ++writes[z.first];
    for (size_t i = 0; i < code.size(); ++i) {
      each_read(code[i], [&](uint32_t r) { ++reads[r]; });
      if (const uint32_t w = written(code[i]); w != UINT32_MAX) {
        ++writes[w];
        writer[w] = i;
      }
    }
  }

  // The constant register r always holds, if only a Const writes it.
  const ir::Inst* constant(const std::vector<ir::Inst>& code, uint32_t r) const {
    if (r >= writes.size() || writes[r] != 1 || writer[r] == SIZE_MAX) return nullptr;
    return code[writer[r]].op == Op::Const ? &code[writer[r]] : nullptr;
  }
};

// Instructions that cannot fail or count a step and do nothing but write
// their register.
bool only_writes(const ir::Inst& in) {
  switch (static_cast<uint8_t>(in.op)) {
    case kOpZero: case kOpImmediate: case kOpFieldWide: return true;
    default: break;
  }
  if (static_cast<uint8_t>(in.op) >= ir::kNumOps) return false;
  switch (in.op) {
    case Op::Const: case Op::Mov: case Op::Input: case Op::DecisionMonth: case Op::Field: case Op::ListLen:
    case Op::ToRatio: case Op::Not: case Op::IsPresent: case Op::InJurisdiction: case Op::LtI: case Op::LeI:
    case Op::Eq: case Op::MinI: case Op::MaxI: return true;
    default: return false;
  }
}

// `code` without the instructions `out` marks, every target moved to
// where its instruction (or, left out, the next one kept) now begins.
void leave_out(std::vector<ir::Inst>& code, const std::vector<bool>& out) {
  std::vector<uint32_t> place(code.size() + 1, 0);
  uint32_t kept = 0;
  for (size_t i = 0; i < code.size(); ++i) {
    place[i] = kept;
    kept += !out[i];
  }
  place[code.size()] = kept;
  std::vector<ir::Inst> shorter;
  shorter.reserve(kept);
  for (size_t i = 0; i < code.size(); ++i) {
    if (out[i]) continue;
    shorter.push_back(code[i]);
    patch_targets(shorter.back(), place);
  }
  code = std::move(shorter);
}

// Constants' branches and ratios; fused comparisons; returns of a move.
void rewrite(const ir::Module& m, const Registers& regs, std::vector<ir::Inst>& code) {
  const std::vector<bool> targets = jump_targets(code);
  std::vector<bool> out(code.size(), false);
  for (size_t i = 0; i < code.size(); ++i) {
    ir::Inst& in = code[i];
    if (in.op == Op::Branch) {
      if (const ir::Inst* c = regs.constant(code, in.a); c && c->a < m.constants.size())
        in = ir::Inst{Op::Jump, 0, m.constants[c->a].a ? in.b : in.c, 0, 0, 0, in.loc};
    } else if (in.op == Op::ToRatio) {
      if (const ir::Inst* c = regs.constant(code, in.a); c && c->a < m.constants.size())
        in = immediate(in.dst, Value::of_ratio(Ratio{m.constants[c->a].a, 1}), in.loc);
    } else if ((in.op == Op::LtI || in.op == Op::LeI) && i + 1 < code.size() && !targets[i + 1] &&
               code[i + 1].op == Op::Branch && code[i + 1].a == in.dst && !out[i]) {
      const ir::Inst& branch = code[i + 1];
      const uint8_t fused = in.op == Op::LtI ? kOpBranchLt : kOpBranchLe;
      in = ir::Inst{static_cast<Op>(fused), in.dst, in.a, in.b, branch.b, branch.c, branch.loc};
      out[i + 1] = true;
      ++i;
    } else if (in.op == Op::Ret && i > 0 && !targets[i] && code[i - 1].op == Op::Mov && code[i - 1].dst == in.a) {
      in.a = code[i - 1].a;
    }
  }
  leave_out(code, out);
}

// Whether control can reach each instruction from the first.
std::vector<bool> reachable(const std::vector<ir::Inst>& code) {
  std::vector<bool> seen(code.size(), false);
  std::vector<size_t> todo{0};
  while (!todo.empty()) {
    const size_t i = todo.back();
    todo.pop_back();
    if (i >= code.size() || seen[i]) continue;
    seen[i] = true;
    each_target(code[i], [&](uint32_t to) { todo.push_back(to); });
    if (!ends_flow(code[i].op)) todo.push_back(i + 1);
  }
  return seen;
}

// A backward jump to a fused comparison whose targets both lie ahead of
// it (a loop's test: it never counts a step itself) becomes the test, with
// the jump's step: a loop's round is one instruction shorter.
void rotate_loops(std::vector<ir::Inst>& code) {
  for (size_t i = 0; i < code.size(); ++i) {
    ir::Inst& in = code[i];
    if (in.op != Op::Jump || in.a > i) continue;
    const ir::Inst& test = code[in.a];
    const auto op = static_cast<uint8_t>(test.op);
    if ((op != kOpBranchLt && op != kOpBranchLe) || test.c <= in.a || test.d <= in.a) continue;
    const uint8_t rotated = op == kOpBranchLt ? kOpStepBranchLt : kOpStepBranchLe;
    in = ir::Inst{static_cast<Op>(rotated), test.dst, test.a, test.b, test.c, test.d, in.loc};
  }
}

}  // namespace

void simplify(const ir::Module& m, uint32_t f, const ZeroedRegisters& zeroed, uint32_t frame,
              std::vector<ir::Inst>& code) {
  rewrite(m, Registers(m, f, zeroed, frame, code), code);
  rotate_loops(code);
  // Each round is linear in the code; a chain of copies each read only by
  // the next loses one per round, so rounds are bounded (what a crafted
  // chain leaves is run, not wrong).
  constexpr int kRounds = 8;
  bool changed = true;
  for (int round = 0; changed && round < kRounds; ++round) {
    const Registers regs(m, f, zeroed, frame, code);
    std::vector<bool> out(code.size(), false);
    changed = false;
    const std::vector<bool> reached = reachable(code);
    for (size_t i = 0; i < code.size(); ++i) {
      const ir::Inst& in = code[i];
      if (!reached[i]) {
        out[i] = changed = true;
        continue;
      }
      const uint32_t w = written(in);
      const bool unread = w != UINT32_MAX && only_writes(in) && regs.reads[w] == 0;
      const bool to_next = in.op == Op::Jump && in.a == i + 1;
      if (unread || to_next) out[i] = changed = true;
    }
    if (changed) leave_out(code, out);
  }
}

}  // namespace doudi::interp
