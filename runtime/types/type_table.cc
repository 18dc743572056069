#include "runtime/types/type_table.h"

#include <string>

namespace doudi {

TypeTable::TypeTable() {
  for (auto k : {TypeKind::Unchecked, TypeKind::Error, TypeKind::Int, TypeKind::Ratio, TypeKind::Bool, TypeKind::Text,
                 TypeKind::Date, TypeKind::YearMonth, TypeKind::Months, TypeKind::Days})
    types_.push_back(Type{k, Period::None, 0, 0});
}

TypeId TypeTable::intern(Type t) {
  for (TypeId i = 0; i < types_.size(); ++i)
    if (types_[i] == t) return i;
  types_.push_back(t);
  return static_cast<TypeId>(types_.size() - 1);
}

bool TypeTable::is_numeric(TypeId id) const {
  switch (kind(id)) {
    case TypeKind::Int: case TypeKind::Ratio: case TypeKind::Money: case TypeKind::Months: case TypeKind::Days:
      return true;
    default:
      return false;
  }
}

bool TypeTable::is_ordered(TypeId id) const {
  return is_numeric(id) || kind(id) == TypeKind::Date || kind(id) == TypeKind::YearMonth;
}

bool TypeTable::can_be_negative(TypeId id) const {
  switch (kind(id)) {
    case TypeKind::Int: case TypeKind::Money: case TypeKind::Months: case TypeKind::Days: case TypeKind::Ratio: return true;
    case TypeKind::Optional: case TypeKind::List: return can_be_negative(get(id).elem);
    default: return false;
  }
}

std::string type_display_name(const TypeTable& types, TypeId t, bool zh, NameOf named, const void* ctx) {
  const Type& ty = types.get(t);
  auto inner = [&](TypeId e) { return type_display_name(types, e, zh, named, ctx); };
  switch (ty.kind) {
    case TypeKind::Unchecked:
    case TypeKind::Error: return "?";
#define TYPE(kind, zh_name, en_name) \
  case TypeKind::kind: return zh ? zh_name : en_name;
#include "runtime/types/builtin_names.def"
    case TypeKind::Months: return zh ? "月" : "months";
    case TypeKind::Days: return zh ? "日" : "days";
    case TypeKind::Money:
      return ty.period == Period::Month  ? (zh ? "元/月" : "yuan/month")
             : ty.period == Period::Year ? (zh ? "元/年" : "yuan/year")
                                         : (zh ? "元" : "yuan");
    case TypeKind::Enum:
    case TypeKind::Struct: return named(ctx, ty.kind, ty.ref);
    case TypeKind::List: return (zh ? "列表<" : "list<") + inner(ty.elem) + ">";
    case TypeKind::Optional: return inner(ty.elem) + "?";
    case TypeKind::Set: return "{" + inner(ty.elem) + "}";
  }
  return "?";
}

}  // namespace doudi
