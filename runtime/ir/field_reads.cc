#include "runtime/ir/field_reads.h"

#include <vector>

namespace doudi::ir {

FieldSet fields_read_by(const Module& m, uint32_t function) {
  FieldSet fields;
  std::vector<bool> seen(m.functions.size(), false);
  std::vector<uint32_t> todo{function};
  while (!todo.empty()) {
    const uint32_t f = todo.back();
    todo.pop_back();
    if (f >= m.functions.size() || seen[f]) continue;
    seen[f] = true;
    const Function& fn = m.functions[f];
    for (const Inst& inst : fn.code) {
      const OpInfo& info = op_info(inst.op);
      for (size_t i = 0; i < 5; ++i)
        if (info.operands[i] == Operand::Func) todo.push_back(inst.operand(i));
      if (inst.op == Op::Field && inst.a < fn.regs.size()) {
        const TypeId t = m.types.unwrap(fn.regs[inst.a]);
        if (m.types.kind(t) == TypeKind::Struct) fields.emplace(m.types.get(t).ref, inst.b);
      }
    }
  }
  return fields;
}

}  // namespace doudi::ir
