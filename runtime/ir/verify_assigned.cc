// Registers read before anything is written into them. The interpreter's
// frames are shared by all functions and not cleared between calls, so such
// a register would hold whatever an earlier call left there, of any type: a
// ratio with a zero denominator, an integer taken for a text's address.
// Lowering reads a rule's value register only after the flag saying an
// exception set it, which a path-insensitive analysis cannot see, so these
// registers are not refused: the interpreter gives each a safe zero of its
// type on entry (runtime/interp). A type without one (a record structure) is
// refused. A forward data-flow over the instructions (loops jump back, so to
// a fixed point): a register is written at an instruction when it is written
// on every path from the entry; the parameters are written on entry.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "runtime/ir/verify_internal.h"

namespace doudi::ir {

std::vector<uint32_t> read_before_written(const Module& m, uint32_t index) {
  using namespace verify_detail;
  const Function& f = m.functions[index];
  const size_t n = f.code.size(), regs = f.regs.size();
  // One bit per register, a row of 64-bit words per instruction: copying
  // and meeting rows word by word is what makes this cheap enough to run
  // on every function of a module at each start (it ran on std::vector<bool>
  // copies, 4M instructions of `run` from a bundle).
  const size_t words = (regs + 63) / 64;
  std::vector<uint64_t> at(n * words, 0);
  std::vector<bool> reached(n, false);
  auto row = [&](uint32_t pc) { return at.data() + size_t{pc} * words; };
  std::vector<uint64_t> w(words);
  if (n == 0) return {};
  for (uint32_t r = 0; r < f.num_params && r < regs; ++r) row(0)[r / 64] |= uint64_t{1} << (r % 64);
  reached[0] = true;
  std::vector<uint32_t> work{0};
  // Meet: a register is written where it is written on every incoming path.
  auto flow_to = [&](uint32_t to) {
    uint64_t* dst = row(to);
    if (!reached[to]) {
      reached[to] = true;
      std::copy(w.begin(), w.end(), dst);
      work.push_back(to);
      return;
    }
    bool changed = false;
    for (size_t k = 0; k < words; ++k) {
      const uint64_t met = dst[k] & w[k];
      changed |= met != dst[k];
      dst[k] = met;
    }
    if (changed) work.push_back(to);
  };
  while (!work.empty()) {
    const uint32_t pc = work.back();
    work.pop_back();
    const Inst& in = f.code[pc];
    std::copy(row(pc), row(pc) + words, w.begin());
    if (is_output(op_info(in.op).operands[0]) && in.dst < regs) w[in.dst / 64] |= uint64_t{1} << (in.dst % 64);
    switch (in.op) {
      case Op::Jump: flow_to(in.a); break;
      case Op::Branch:
        flow_to(in.b);
        flow_to(in.c);
        break;
      default:
        if (op_info(in.op).flow == Flow::Next && pc + 1 < n) flow_to(pc + 1);
    }
  }
  std::vector<bool> unwritten(regs, false);
  for (uint32_t pc = 0; pc < n; ++pc)
    if (reached[pc])
      each_register_read(f.code[pc], op_info(f.code[pc].op).operands, [&](uint32_t r) {
        if (!(row(pc)[r / 64] >> (r % 64) & 1)) unwritten[r] = true;
      });
  std::vector<uint32_t> out;
  for (uint32_t r = 0; r < regs; ++r)
    if (unwritten[r]) out.push_back(r);
  return out;
}

namespace verify_detail {

void verify_assigned(const Module& m, uint32_t index, Problems& problems) {
  for (uint32_t r : read_before_written(m, index))
    if (m.types.kind(m.functions[index].regs[r]) == TypeKind::Struct)
      problems.add(index, kWhole, "register %{} (a record structure) may be read before anything is written into it", r);
}

}  // namespace verify_detail
}  // namespace doudi::ir
