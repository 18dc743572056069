#include "runtime/interp/dispatch_code.h"

#include <array>
#include <cstring>
#include <iterator>

#include "runtime/record/record_layout.h"

namespace doudi::interp {
namespace {

using ir::Op;

// Which of an instruction's operands (dst, a, b, c, d) name registers.
std::array<bool, 5> register_operands(const ir::Inst& in) {
  std::array<bool, 5> out{};
  const ir::Operand* kinds = operand_kinds(in.op);
  for (size_t k = 0; k < out.size(); ++k) out[k] = ir::is_register(kinds[k]) || kinds[k] == ir::Operand::Args;
  return out;
}

struct InternalOpInfo {
  ir::Operand operands[5];
  ir::Flow flow;
};
constexpr InternalOpInfo kInternalOps[] = {
#define DOUDI_INTERNAL_OP(name, dst, a, b, c, d, flow, doc)                                                   \
  {{ir::Operand::dst, ir::Operand::a, ir::Operand::b, ir::Operand::c, ir::Operand::d}, ir::Flow::flow},
#include "runtime/interp/internal_ops.def"
#undef DOUDI_INTERNAL_OP
};
static_assert(std::size(kInternalOps) == kNumInternalOps - ir::kNumOps);

}  // namespace

const ir::Operand* operand_kinds(ir::Op op) {
  const auto o = static_cast<uint8_t>(op);
  return o < ir::kNumOps ? ir::op_info(op).operands : kInternalOps[o - ir::kNumOps].operands;
}

bool ends_flow(ir::Op op) {
  const auto o = static_cast<uint8_t>(op);
  return (o < ir::kNumOps ? ir::op_info(op).flow : kInternalOps[o - ir::kNumOps].flow) == ir::Flow::Ends;
}

std::vector<bool> jump_targets(const std::vector<ir::Inst>& code) {
  std::vector<bool> out(code.size() + 1, false);
  for (const ir::Inst& in : code)
    each_target(in, [&](uint32_t to) {
      if (to < out.size()) out[to] = true;
    });
  return out;
}

void patch_targets(ir::Inst& in, const std::vector<uint32_t>& place) {
  const ir::Operand* kinds = operand_kinds(in.op);
  const auto fields = operand_fields(in);
  for (size_t k = 0; k < fields.size(); ++k)
    if (kinds[k] == ir::Operand::Target) *fields[k] = place[*fields[k]];
}

ir::Inst immediate(uint32_t dst, Value v, uint32_t loc) {
  ir::Inst in{static_cast<Op>(kOpImmediate), dst, 0, 0, 0, 0, loc};
  std::memcpy(reinterpret_cast<char*>(&in) + offsetof(ir::Inst, a), &v, sizeof v);
  return in;
}

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

void prepare_for_dispatch(const ir::Module& m, std::vector<ir::Inst>& code) {
  for (ir::Inst& in : code) {
    if (in.op == Op::Const && in.a < m.constants.size()) in = immediate(in.dst, m.constants[in.a], in.loc);
    const auto registers = register_operands(in);
    const auto fields = operand_fields(in);
    for (size_t k = 0; k < registers.size(); ++k)
      if (registers[k]) *fields[k] *= sizeof(Value);
    if (in.op == Op::Field && in.d) in.op = static_cast<Op>(kOpFieldWide);
    if (in.op == Op::ListGet && in.c == 2) in.op = static_cast<Op>(kOpListGetWide);
  }
}

}  // namespace doudi::interp
