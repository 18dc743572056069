#include "compiler/ir/ir.h"

#include <fmt/format.h>

#include "runtime/value/calendar.h"
#include "runtime/value/money.h"

namespace doudi::ir {

const char* op_name(Op op) {
  static const char* const kNames[] = {
#define OP(name, text, doc) text,
#include "compiler/ir/opcodes.def"
#undef OP
  };
  return kNames[static_cast<size_t>(op)];
}

uint32_t Module::find_jurisdiction(const std::string& n) const {
  for (uint32_t i = 0; i < jurisdictions.size(); ++i)
    if (jurisdictions[i].name == n) return i;
  return UINT32_MAX;
}

uint32_t Module::find_function(const std::string& n) const {
  for (uint32_t i = 0; i < functions.size(); ++i)
    if (functions[i].name == n) return i;
  return UINT32_MAX;
}

std::string Module::type_name(TypeId t, bool zh) const {
  const Type& ty = types.get(t);
  switch (ty.kind) {
    case TypeKind::Int: return zh ? "整数" : "int";
    case TypeKind::Ratio: return zh ? "比例" : "ratio";
    case TypeKind::Bool: return zh ? "布尔" : "bool";
    case TypeKind::Text: return zh ? "文本" : "text";
    case TypeKind::Date: return zh ? "日期" : "date";
    case TypeKind::YearMonth: return zh ? "年月" : "yearmonth";
    case TypeKind::Months: return zh ? "月" : "months";
    case TypeKind::Days: return zh ? "日" : "days";
    case TypeKind::Money:
      return ty.period == Period::Month ? (zh ? "元/月" : "yuan/month")
             : ty.period == Period::Year ? (zh ? "元/年" : "yuan/year")
                                         : (zh ? "元" : "yuan");
    case TypeKind::Enum: return enums[ty.ref].name;
    case TypeKind::Struct: return structs[ty.ref].name;
    case TypeKind::List: return (zh ? "列表<" : "list<") + type_name(ty.elem, zh) + ">";
    case TypeKind::Optional: return type_name(ty.elem, zh) + "?";
    case TypeKind::Set: return "{" + type_name(ty.elem, zh) + "}";
    default: return "?";
  }
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
