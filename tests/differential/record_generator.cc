#include "tests/differential/record_generator.h"

#include <fmt/format.h>

#include "runtime/value/calendar.h"

namespace doudi::testing {
namespace {

void quoted(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
}

}  // namespace

std::string RecordGenerator::next() {
  // Each record has amounts in a few of the schema's money fields only (the
  // others zero): a policy reads some parameters only for a household with
  // that income or expense, and deployments leave several open.
  active_.clear();
  const double share = chance(0.5) ? 0.05 : 0.4;
  for (const auto& st : m_.structs)
    for (const auto& f : st.fields)
      if (chance(share)) active_.insert(&f);
  std::string out;
  value(out, m_.input_type, false, 0);
  return out;
}

void RecordGenerator::record(std::string& out, uint32_t struct_index, int depth) {
  const auto& st = m_.structs[struct_index];
  out += '{';
  bool first = true;
  for (const auto& f : st.fields) {
    const bool optional = m_.types.kind(f.type) == TypeKind::Optional;
    // Left out: an absent optional, or a field at its default.
    if ((optional && chance(0.25)) || (f.default_value && chance(0.3))) continue;
    if (!first) out += ',';
    first = false;
    quoted(out, f.name);
    out += ':';
    field_active_ = active_.count(&f) != 0;
    value(out, f.type, f.signed_, depth + 1);
  }
  out += '}';
}

void RecordGenerator::value(std::string& out, TypeId t, bool may_be_negative, int depth) {
  const Type& type = m_.types.get(t);
  const bool edge = chance(0.1);
  const bool negative = may_be_negative && chance(0.15);
  switch (type.kind) {
    case TypeKind::Optional: value(out, type.elem, may_be_negative, depth); return;
    case TypeKind::Int:
    case TypeKind::Months:
    case TypeKind::Days: {
      int64_t n = edge ? (chance(0.5) ? between(0, 1) : chance(0.5) ? INT64_MAX / between(1, 4) : between(1000000, 1000000000))
                       : between(0, 120);
      if (negative) n = edge && chance(0.2) ? INT64_MIN : -n;  // the one integer without a negation
      fmt::format_to(std::back_inserter(out), "{}", n);
      return;
    }
    case TypeKind::Money: {
      // In 分: mostly everyday amounts, some zero or one 分, a few near the
      // limit (arithmetic on them overflows: the error results must agree too).
      // The largest amounts a record can hold are edges too: ±INT64_MAX 分
      // (the loader's range is symmetric, so negating an amount never
      // overflows).
      int64_t fen = edge ? (chance(0.4) ? between(0, 1) : chance(0.7) ? between(1, 3) * 1'000'000'000'000'000
                                                    : chance(0.5)   ? INT64_MAX
                                                                    : 0)
                         : !field_active_ || chance(0.3) ? 0 : between(1, 500'000);
      if (negative) fen = -fen;
      fmt::format_to(std::back_inserter(out), "\"{}{}.{:02}\"", fen < 0 ? "-" : "", (fen < 0 ? -fen : fen) / 100,
                     (fen < 0 ? -fen : fen) % 100);
      return;
    }
    case TypeKind::Ratio: {
      // Shares as officers write them, and any decimal of up to six places
      // (denominators up to 10^6: reductions and cross-multiplications differ).
      static const char* const kRatios[] = {"0", "1", "0.5", "20%", "33.33%", "1.5", "0.01", "100%", "2"};
      out += '"';
      if (negative) out += '-';
      if (chance(0.5)) {
        out += kRatios[between(0, std::size(kRatios) - 1)];
      } else {
        const int64_t places = between(0, 6);
        int64_t scale = 1;
        for (int64_t i = 0; i < places; ++i) scale *= 10;
        const int64_t n = between(0, 3 * scale);
        fmt::format_to(std::back_inserter(out), "{}", n / scale);
        if (places > 0) fmt::format_to(std::back_inserter(out), ".{:0{}}", n % scale, places);
      }
      out += '"';
      return;
    }
    case TypeKind::Bool: out += chance(0.5) ? "true" : "false"; return;
    case TypeKind::Text: {
      static const char* const kTexts[] = {"", "张三", "110101199003071234", "a\"b", "会宁县"};
      quoted(out, kTexts[between(0, std::size(kTexts) - 1)]);
      return;
    }
    case TypeKind::Date: {
      // Month ends and leap days as often as any other day.
      const int64_t year = edge ? (chance(0.5) ? 1900 : 2100) : between(1930, 2030);
      const int64_t month = between(1, 12);
      const int64_t last = days_in_month(static_cast<int32_t>(year), static_cast<uint32_t>(month));
      const int64_t day = chance(0.3) ? last : between(1, last);
      fmt::format_to(std::back_inserter(out), "\"{:04}-{:02}-{:02}\"", year, month, day);
      return;
    }
    case TypeKind::YearMonth:
      fmt::format_to(std::back_inserter(out), "\"{:04}-{:02}\"", between(2015, 2030), between(1, 12));
      return;
    case TypeKind::Enum: {
      const auto& e = m_.enums[type.ref];
      quoted(out, e.values[between(0, e.values.size() - 1)]);
      return;
    }
    case TypeKind::Struct: record(out, type.ref, depth); return;
    case TypeKind::List: {
      // No members, one, the usual handful, or many.
      const int64_t n = depth > 3 ? 0 : edge ? (chance(0.5) ? 0 : between(20, 40)) : between(1, 7);
      out += '[';
      for (int64_t i = 0; i < n; ++i) {
        if (i) out += ',';
        value(out, type.elem, may_be_negative, depth + 1);
      }
      out += ']';
      return;
    }
    default: out += "null"; return;
  }
}

}  // namespace doudi::testing
