// Types, interned. Money carries its period; Optional, List and Set wrap an
// element type. TypeId 0 means "not checked", kError poisons an expression so
// one mistake gives one diagnostic.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/value/money.h"

namespace doudi {

using TypeId = uint32_t;

enum class TypeKind : uint8_t {
  Unchecked, Error, Int, Ratio, Bool, Text, Date, YearMonth, Months, Days, Money, Enum, Struct, List, Optional, Set
};

struct Type {
  TypeKind kind = TypeKind::Unchecked;
  Period period = Period::None;  // Money
  uint32_t ref = 0;              // Enum / Struct index
  TypeId elem = 0;               // List / Optional / Set
  friend bool operator==(const Type&, const Type&) = default;
};

class TypeTable {
 public:
  TypeTable();
  TypeId intern(Type t);
  const Type& get(TypeId id) const { return types_[id]; }
  TypeId size() const { return static_cast<TypeId>(types_.size()); }
  // Replaces the table (a bundle being read); ids are positions.
  void assign(std::vector<Type> types) { types_ = std::move(types); }
  TypeKind kind(TypeId id) const { return types_[id].kind; }

  TypeId money(Period p) { return intern(Type{TypeKind::Money, p, 0, 0}); }
  TypeId list_of(TypeId e) { return intern(Type{TypeKind::List, Period::None, 0, e}); }
  TypeId optional_of(TypeId e) { return intern(Type{TypeKind::Optional, Period::None, 0, e}); }
  TypeId set_of(TypeId e) { return intern(Type{TypeKind::Set, Period::None, 0, e}); }
  TypeId enum_type(uint32_t i) { return intern(Type{TypeKind::Enum, Period::None, i, 0}); }
  TypeId struct_type(uint32_t i) { return intern(Type{TypeKind::Struct, Period::None, i, 0}); }

  // Strips one Optional layer, if any.
  TypeId unwrap(TypeId id) const { return kind(id) == TypeKind::Optional ? get(id).elem : id; }
  bool is_numeric(TypeId id) const;  // summable: int, ratio, money, months, days
  bool is_ordered(TypeId id) const;  // comparable with < >
  // Amounts, whole numbers and ratios, or lists and optionals of them: what
  // a record field declared 可为负 may hold negative.
  bool can_be_negative(TypeId id) const;

  static constexpr TypeId kUnchecked = 0, kError = 1, kInt = 2, kRatio = 3, kBool = 4, kText = 5, kDate = 6,
                          kYearMonth = 7, kMonths = 8, kDays = 9;

 private:
  std::vector<Type> types_;
};

// The name of a type as written in the given dialect (整数 / int, 元/月 /
// yuan/month, 列表<成员>); enumerations and structures are named by `named`
// (kind, index).
using NameOf = std::string (*)(const void* ctx, TypeKind kind, uint32_t index);
std::string type_display_name(const TypeTable& types, TypeId t, bool zh, NameOf named, const void* ctx);

}  // namespace doudi
