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
#include <vector>

#include "runtime/ir/verify_internal.h"

namespace doudi::ir {
namespace verify_detail {
namespace {

using Written = std::vector<bool>;

}  // namespace

}  // namespace verify_detail

std::vector<uint32_t> read_before_written(const Module& m, uint32_t index) {
  using namespace verify_detail;
  const Function& f = m.functions[index];
  const size_t n = f.code.size(), regs = f.regs.size();
  std::vector<Written> at(n);  // empty: not reached yet
  Written entry(regs, false);
  for (uint32_t r = 0; r < f.num_params && r < regs; ++r) entry[r] = true;
  std::vector<uint32_t> work{0};
  at[0] = entry;
  // Meet: a register is written where it is written on every incoming path.
  auto flow_to = [&](uint32_t to, const Written& w) {
    if (at[to].empty()) {
      at[to] = w;
      work.push_back(to);
      return;
    }
    bool changed = false;
    for (size_t r = 0; r < regs; ++r)
      if (at[to][r] && !w[r]) {
        at[to][r] = false;
        changed = true;
      }
    if (changed) work.push_back(to);
  };
  while (!work.empty()) {
    const uint32_t pc = work.back();
    work.pop_back();
    const Inst& in = f.code[pc];
    Written w = at[pc];
    if (is_output(op_info(in.op).operands[0])) w[in.dst] = true;
    switch (in.op) {
      case Op::Jump: flow_to(in.a, w); break;
      case Op::Branch:
        flow_to(in.b, w);
        flow_to(in.c, w);
        break;
      default:
        if (op_info(in.op).flow == Flow::Next && pc + 1 < n) flow_to(pc + 1, w);
    }
  }
  std::vector<bool> unwritten(regs, false);
  for (uint32_t pc = 0; pc < n; ++pc)
    if (!at[pc].empty())  // reached
      each_register_read(f.code[pc], op_info(f.code[pc].op).operands, [&](uint32_t r) {
        if (!at[pc][r]) unwritten[r] = true;
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
