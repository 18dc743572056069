#include "compiler/types/types.h"

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

}  // namespace doudi
