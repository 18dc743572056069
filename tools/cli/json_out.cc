#include "tools/cli/json_out.h"

#include <fmt/format.h>

#include "runtime/value/calendar.h"
#include "runtime/value/money.h"

namespace doudi::cli {

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (unsigned char ch : s) {
    switch (ch) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (ch < 0x20) out += fmt::format("\\u{:04x}", ch);
        else out += static_cast<char>(ch);
    }
  }
  return out + "\"";
}

std::string json_value(const ir::Module& m, Value v, TypeId t) {
  const Type& ty = m.types.get(t);
  if (ty.kind == TypeKind::Optional) return v.is_absent() ? "null" : json_value(m, v, ty.elem);
  switch (ty.kind) {
    case TypeKind::Bool: return v.a ? "true" : "false";
    case TypeKind::Int:
    case TypeKind::Months:
    case TypeKind::Days: return std::to_string(v.a);
    // Money as an exact decimal number of 元 (never through a double).
    case TypeKind::Money: return format_fen(v.a);
    case TypeKind::Ratio: return json_string(format_ratio(v.ratio()));
    case TypeKind::Text: return json_string(v.text());
    case TypeKind::Date: return json_string(format_date(v.a));
    case TypeKind::YearMonth: return json_string(format_year_month(v.a));
    case TypeKind::Enum: return json_string(m.format_value(v, t, true));
    default: return "null";
  }
}

}  // namespace doudi::cli
