#include "runtime/bundle/json_text.h"

#include <fmt/format.h>

#include "runtime/value/calendar.h"
#include "runtime/value/decimal_digits.h"
#include "runtime/value/money.h"

namespace doudi {

void append_value_json(std::string& out, const ir::Module& m, Value v, TypeId t) {
  const Type& ty = m.types.get(t);
  // The kinds a household is mostly made of, without a string of their own.
  switch (ty.kind) {
    case TypeKind::Bool: out += v.a ? "true" : "false"; return;
    case TypeKind::Money: append_fen(out, v.a); return;
    case TypeKind::Int:
    case TypeKind::Months:
    case TypeKind::Days: append_decimal(out, v.a); return;
    case TypeKind::Text: append_json_quoted(out, v.text()); return;
    default: out += value_to_json(m, v, t);
  }
}

std::string value_to_json(const ir::Module& m, Value v, TypeId t) {
  const Type& ty = m.types.get(t);
  if (ty.kind == TypeKind::Optional) return v.is_absent() ? "null" : value_to_json(m, v, ty.elem);
  switch (ty.kind) {
    case TypeKind::Bool: return v.a ? "true" : "false";
    case TypeKind::Int:
    case TypeKind::Months:
    case TypeKind::Days: return std::to_string(v.a);
    case TypeKind::Money: return format_fen(v.a);
    case TypeKind::Ratio: return json_quote(format_ratio(v.ratio()));
    case TypeKind::Text: return json_quote(v.text());
    case TypeKind::Date: return json_quote(format_date(v.a));
    case TypeKind::YearMonth: return json_quote(format_year_month(v.a));
    case TypeKind::Enum: return json_quote(m.format_value(v, t, true));
    default: return "null";
  }
}

}  // namespace doudi
