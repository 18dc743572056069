#include "runtime/ir/ir.h"

#include "runtime/ir/jurisdiction_tree.h"

#include <fmt/format.h>

#include <iterator>

#include "runtime/value/calendar.h"
#include "runtime/value/money.h"

namespace doudi::ir {

const OpInfo& op_info(Op op) {
  using enum Operand;
  using enum Flow;
  static const OpInfo kInfo[] = {
#define OP(name, text, dst, a, b, c, d, flow, doc) {text, {dst, a, b, c, d}, flow},
#include "runtime/ir/opcodes.def"
#undef OP
  };
  static_assert(std::size(kInfo) == kNumOps);
  return kInfo[static_cast<size_t>(op)];
}

const char* op_name(Op op) { return op_info(op).name; }

uint32_t Module::find_jurisdiction(const std::string& n) const {
  for (uint32_t i = 0; i < jurisdictions.size(); ++i)
    if (jurisdictions[i].name == n) return i;
  return UINT32_MAX;
}

uint32_t Module::parent_of(uint32_t j) const { return j < jurisdictions.size() ? jurisdictions[j].parent : kEverywhere; }

bool Module::is_within(uint32_t j, uint32_t ancestor) const {
  return doudi::is_within(j, ancestor, jurisdictions.size(), [this](uint32_t k) { return parent_of(k); });
}

uint32_t Module::value_in_force(uint32_t param, uint32_t jurisdiction, int64_t day) const {
  return doudi::value_in_force(
      params[param].values, jurisdiction, day, jurisdictions.size(), [this](uint32_t k) { return parent_of(k); },
      [](const ParamValue& v) { return v.jurisdiction; },
      [](const ParamValue& v, int64_t d) { return v.from <= d && d <= v.until; });
}

uint32_t Module::find_function(const std::string& n) const {
  for (uint32_t i = 0; i < functions.size(); ++i)
    if (functions[i].name == n) return i;
  return UINT32_MAX;
}

std::string Module::type_name(TypeId t, bool zh) const {
  return type_display_name(
      types, t, zh,
      [](const void* ctx, TypeKind kind, uint32_t i) {
        const auto* m = static_cast<const Module*>(ctx);
        return kind == TypeKind::Enum ? m->enums[i].name : m->structs[i].name;
      },
      this);
}

bool Module::has_explanation_trees() const {
  for (const auto& f : functions)
    if (!f.tree.empty()) return true;
  return false;
}

std::string Module::format_value(Value v, TypeId t, bool zh) const {
  const Type& ty = types.get(t);
  if (ty.kind == TypeKind::Optional) {
    if (v.is_absent()) return zh ? "（无）" : "(none)";
    return format_value(v, ty.elem, zh);
  }
  switch (ty.kind) {
    case TypeKind::Int: return std::to_string(v.a);
    case TypeKind::Ratio: return format_ratio(v.ratio());
    case TypeKind::Bool: return v.a ? (zh ? "真" : "true") : (zh ? "假" : "false");
    case TypeKind::Text: return fmt::format("\"{}\"", v.text());
    case TypeKind::Date: return format_date(v.a);
    case TypeKind::YearMonth: return format_year_month(v.a);
    case TypeKind::Months: return fmt::format("{} {}", v.a, zh ? "个月" : "months");
    case TypeKind::Days: return fmt::format("{} {}", v.a, zh ? "日" : "days");
    case TypeKind::Money: return fmt::format("{} {}", format_fen(v.a), type_name(t, zh));
    case TypeKind::Enum: {
      const auto& e = enums[ty.ref];
      return v.a >= 0 && static_cast<size_t>(v.a) < e.values.size() ? e.values[static_cast<size_t>(v.a)] : "?";
    }
    case TypeKind::Struct: return "{…}";
    case TypeKind::List: return fmt::format("[{} {}]", v.b, zh ? "项" : "items");
    default: return "?";
  }
}

}  // namespace doudi::ir
