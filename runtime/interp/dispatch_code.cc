#include "runtime/interp/dispatch_code.h"

#include <array>

#include "runtime/record/record_layout.h"

namespace doudi::interp {
namespace {

using ir::Op;

// Which of an instruction's operands (dst, a, b, c, d) name registers: the
// IR's by opcodes.def, the interpreter's own by their definition above.
std::array<bool, 5> register_operands(const ir::Inst& in) {
  const auto op = static_cast<uint8_t>(in.op);
  if (op == kOpZero) return {true, false, false, false, false};
  if (op >= ir::kNumOps) return {};  // kOpStep: a location only
  std::array<bool, 5> out{};
  const auto& kinds = ir::op_info(in.op).operands;
  for (size_t k = 0; k < out.size(); ++k) out[k] = ir::is_register(kinds[k]) || kinds[k] == ir::Operand::Args;
  return out;
}

}  // namespace

std::vector<ir::Inst> decoded_code(const ir::Module& m, uint32_t f) {
  const ir::Function& fn = m.functions[f];
  std::vector<ir::Inst> code = fn.code;
  for (ir::Inst& in : code) {
    const TypeId t = in.a < fn.regs.size() ? fn.regs[in.a] : m.types.size();
    if (t >= m.types.size()) continue;  // a verified module has none such
    const Type& ty = m.types.get(t);
    if (in.op == Op::Field && ty.kind == TypeKind::Struct && ty.ref < m.structs.size() &&
        in.b < m.structs[ty.ref].fields.size()) {
      in.c = record::field_offset(m, ty.ref, in.b);
      in.d = record::wide_slot(m.types, m.structs[ty.ref].fields[in.b].type);
    } else if (in.op == Op::ListGet && ty.kind == TypeKind::List) {
      in.c = record::slot_words(m.types, ty.elem);
    }
  }
  return code;
}

void prepare_for_dispatch(std::vector<ir::Inst>& code) {
  for (ir::Inst& in : code) {
    const auto registers = register_operands(in);
    uint32_t* const fields[] = {&in.dst, &in.a, &in.b, &in.c, &in.d};
    for (size_t k = 0; k < registers.size(); ++k)
      if (registers[k]) *fields[k] *= sizeof(Value);
    if (in.op == Op::Field && in.d) in.op = static_cast<Op>(kOpFieldWide);
    if (in.op == Op::ListGet && in.c == 2) in.op = static_cast<Op>(kOpListGetWide);
  }
}

}  // namespace doudi::interp
