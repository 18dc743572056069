#include "runtime/record/record_builder.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "runtime/record/record_layout.h"
#include "runtime/source/date_spellings.h"
#include "runtime/value/calendar.h"
#include "runtime/value/checked.h"
#include "runtime/value/money.h"
#include "runtime/value/ratio.h"

namespace doudi::record {
namespace {

std::string both(std::string_view zh, std::string_view en) { return bilingual(zh, en); }

std::string found_kind(Scalar::Kind k) {
  switch (k) {
    case Scalar::Kind::Null: return "null";
    case Scalar::Kind::Bool: return both("布尔值", "a boolean");
    case Scalar::Kind::Number: case Scalar::Kind::Integer: return both("数字", "a number");
    case Scalar::Kind::String: return both("字符串", "a string");
    case Scalar::Kind::Fen: return both("金额（分）", "an amount in 分");
    case Scalar::Kind::Date: case Scalar::Kind::BadDate: return both("日期", "a date");
  }
  return "?";
}

// A JSON number such as 1e3: valid JSON, but an amount or a ratio is read
// from its decimal digits exactly, never through a floating-point value.
bool exponent_form(const Scalar& s) {
  return s.kind == Scalar::Kind::Number && s.text.find_first_of("eE") != std::string_view::npos;
}
std::string exponent_form_text(std::string_view examples) {
  return both(fmt::format("指数形式：请写成十进制数字（如 {}）", examples),
              fmt::format("in exponent form: write it in decimal digits ({})", examples));
}

}  // namespace

bool json_number(std::string_view t) {
  size_t i = 0;
  auto digits = [&] {
    const size_t start = i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
    return i > start;
  };
  if (i < t.size() && t[i] == '-') ++i;
  if (i < t.size() && t[i] == '0') ++i;
  else if (!digits()) return false;
  if (i < t.size() && t[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == t.size();
}

std::string Path::str() const {
  if (!parent) return "$";
  return key.empty() ? fmt::format("{}[{}]", parent->str(), index) : parent->str() + "." + std::string(key);
}

void RecordBuilder::problem(DiagCode code, std::vector<std::string> args, uint32_t at) {
  if (out_.problems.size() == kMaxRecordProblems) out_.problems.push_back(RecordProblem{DiagCode::E0011, {}, at});
  if (out_.problems.size() > kMaxRecordProblems) return;
  out_.problems.push_back(RecordProblem{code, std::move(args), at});
}

std::string RecordBuilder::type_desc(TypeId t) const { return both(m_.type_name(t, true), m_.type_name(t, false)); }

bool RecordBuilder::mismatch(const Path& path, TypeId t, std::string found, uint32_t at) {
  problem(DiagCode::E2005, {path.str(), type_desc(t), std::move(found)}, at);
  return false;
}

bool RecordBuilder::negative(const Path& path, std::string shown, uint32_t at) {
  problem(DiagCode::E2009, {path.str(), std::move(shown)}, at);
  return false;
}

// Whole numbers, amounts and ratios.
bool RecordBuilder::number(const Scalar& s, TypeId t, const Path& path, uint32_t at, Value& out, bool may_be_negative) {
  using K = Scalar::Kind;
  const Type& ty = m_.types.get(t);
  const bool decimal_text = s.kind == K::Number || s.kind == K::String;
  if (s.kind == K::Number && !json_number(s.text)) {
    problem(DiagCode::E2007, {path.str(), std::string(s.text), both("不是数字", "not a number")}, at);
    return false;
  }
  switch (ty.kind) {
    case TypeKind::Money: {
      int64_t fen = 0;
      if (s.kind == K::Fen) {
        fen = s.a;
        // What decimal text can say, no more: -2^63 分 has no negation.
        if (fen == INT64_MIN) {
          problem(DiagCode::E2007, {path.str(), format_fen(fen), both("超出范围", "out of range")}, at);
          return false;
        }
      } else if (s.kind == K::Integer) {
        // A bare whole number for an amount: yuan or 分? A typed source says
        // which (分, or decimal text in yuan); JSON's 828 is decimal text.
        return mismatch(path, t, both("整数（金额须以分或十进制文本给出）", "a whole number (an amount is given in 分 or as decimal text)"), at);
      } else if (decimal_text) {
        auto parsed = parse_money_yuan(s.text);
        if (!parsed.fen) {
          const std::string why = parsed.error == "more than two decimal places" ? both("最多两位小数", "more than two decimal places")
                                  : parsed.error == "too large"                  ? both("超出范围", "out of range")
                                  : exponent_form(s)                             ? exponent_form_text("1000, 1000.50")
                                                                                 : both("不是数字", "not a number");
          problem(DiagCode::E2007, {path.str(), std::string(s.text), why}, at);
          return false;
        }
        fen = *parsed.fen;
      } else {
        return mismatch(path, t, found_kind(s.kind), at);
      }
      // The amount as it was given (typed 分 written out): made only for the message.
      if (fen < 0 && !may_be_negative) return negative(path, s.kind == K::Fen ? format_fen(fen) : std::string(s.text), at);
      out = Value::of(fen);
      return true;
    }
    case TypeKind::Ratio: {
      std::string text;
      bool percent = false;
      if (s.kind == K::Integer) text = std::to_string(s.a);
      else if (decimal_text) text = std::string(s.text);
      else return mismatch(path, t, found_kind(s.kind), at);
      const std::string shown = text;
      if (s.kind == K::String && !text.empty() && text.back() == '%') {
        percent = true;
        text.pop_back();
      }
      const bool minus = !text.empty() && text[0] == '-';
      auto r = parse_decimal_ratio(minus ? text.substr(1) : text, percent);
      if (!r) {
        problem(DiagCode::E2007, {path.str(), text, exponent_form(s) ? exponent_form_text("0.5, 50%") : both("不是比例", "not a ratio")}, at);
        return false;
      }
      if (minus && r->num != 0) {
        if (!may_be_negative) return negative(path, shown, at);
        r->num = -r->num;
      }
      out = Value::of_ratio(*r);
      return true;
    }
    default: {  // whole numbers, months and days
      int64_t n = 0;
      if (s.kind == K::Integer) {
        n = s.a;
      } else if (s.kind == K::Number) {
        const char* end = s.text.data() + s.text.size();
        auto [ptr, ec] = std::from_chars(s.text.data(), end, n);
        if (ec != std::errc{} || ptr != end) return mismatch(path, t, std::string(s.text), at);
      } else {
        return mismatch(path, t, found_kind(s.kind), at);
      }
      if (n < 0 && !may_be_negative) return negative(path, s.kind == K::Number ? std::string(s.text) : std::to_string(n), at);
      out = Value::of(n);
      return true;
    }
  }
}

bool RecordBuilder::scalar(const Scalar& s, TypeId t, const Path& path, uint32_t at, Value& out, bool may_be_negative) {
  using K = Scalar::Kind;
  const Type& ty = m_.types.get(t);
  if (ty.kind == TypeKind::Optional) {
    if (s.kind == K::Null) {
      out = Value::absent();
      return true;
    }
    return scalar(s, ty.elem, path, at, out, may_be_negative);
  }
  switch (ty.kind) {
    case TypeKind::Int: case TypeKind::Months: case TypeKind::Days: case TypeKind::Money: case TypeKind::Ratio:
      return number(s, t, path, at, out, may_be_negative);
    case TypeKind::Bool:
      if (s.kind != K::Bool) return mismatch(path, t, found_kind(s.kind), at);
      out = Value::of_bool(s.a != 0);
      return true;
    case TypeKind::Text:
      if (s.kind != K::String) return mismatch(path, t, found_kind(s.kind), at);
      out = Value::of_text(out_.data.intern(std::string(s.text)));
      return true;
    case TypeKind::Date:
    case TypeKind::YearMonth: {
      const bool date = ty.kind == TypeKind::Date;
      std::string written;  // a date for a year-month field, not on the 1st: refused as its text would be
      if (s.kind == K::BadDate) {
        problem(DiagCode::E2008, {path.str(), std::string(s.text), date_hint(s.text, date)}, at);
        return false;
      }
      if (s.kind == K::Date) {
        if (!day_in_range(s.a)) {
          problem(DiagCode::E2008, {path.str(), std::to_string(s.a), both("超出范围", "out of range")}, at);
          return false;
        }
        // A year-month given as a date: the first of its month, as a
        // database writes a month (date_trunc).
        if (date || first_day_of(year_month_of_date(s.a)) == s.a) {
          out = Value::of(date ? s.a : year_month_of_date(s.a));
          return true;
        }
        written = format_date(s.a);
      }
      const std::string_view text = s.kind == K::Date ? std::string_view(written) : s.text;
      if (s.kind != K::Date && s.kind != K::String) return mismatch(path, t, found_kind(s.kind), at);
      auto d = date ? parse_date(text) : parse_year_month(text);
      if (!d) {
        problem(DiagCode::E2008, {path.str(), std::string(text), date_hint(text, date)}, at);
        return false;
      }
      out = Value::of(*d);
      return true;
    }
    case TypeKind::Enum: {
      if (s.kind != K::String) return mismatch(path, t, found_kind(s.kind), at);
      const auto& e = m_.enums[ty.ref];
      for (size_t i = 0; i < e.values.size(); ++i)
        if (e.values[i] == s.text) {
          out = Value::of(static_cast<int64_t>(i));
          return true;
        }
      std::string all;
      for (const auto& x : e.values) all += (all.empty() ? "" : ", ") + x;
      problem(DiagCode::E2006, {path.str(), std::string(s.text), e.name, all}, at);
      return false;
    }
    default:  // a struct or a list: the source reads those itself
      return mismatch(path, t, found_kind(s.kind), at);
  }
}

const RecordBuilder::Blank& RecordBuilder::blank(uint32_t struct_index) {
  if (blanks_.size() <= struct_index) blanks_.resize(m_.structs.size());
  Blank& b = blanks_[struct_index];
  if (b.made) return b;
  if (offsets_ == &own_offsets_) {
    if (own_offsets_.size() <= struct_index) own_offsets_.resize(m_.structs.size());
    if (own_offsets_[struct_index].empty()) own_offsets_[struct_index] = offsets_of(m_, struct_index);
  }
  const auto& st = m_.structs[struct_index];
  const auto& at = (*offsets_)[struct_index];
  b.words.assign(at.back(), 0);
  for (uint32_t i = 0; i < st.fields.size(); ++i) {
    const auto& f = st.fields[i];
    const auto logged = defaults_ ? defaults_->find(st.name + "." + f.name) : LoggedDefaults::const_iterator{};
    Value v;
    if (defaults_ && logged != defaults_->end()) v = logged->second;
    else if (f.default_value) v = *f.default_value;
    else if (m_.types.kind(f.type) == TypeKind::Optional) v = Value::absent();
    else {
      b.required.push_back(i);
      continue;
    }
    b.words[at[i]] = v.a;
    if (at[i + 1] - at[i] == 2) b.words[at[i] + 1] = v.b;
  }
  b.made = true;
  return b;
}

RecordBuilder::StructFill RecordBuilder::begin_struct(uint32_t struct_index) {
  StructFill s{struct_index, out_.data.alloc_copy(blank(struct_index).words), given_.size()};
  given_.resize(given_.size() + m_.structs[struct_index].fields.size(), 0);
  return s;
}

bool RecordBuilder::give(const StructFill& s, size_t field, const Path& path, uint32_t at) {
  // JSON leaves a repeated key to the reader (most keep the last one): a
  // second 工资性收入 hiding the first must not decide silently.
  if (given_[s.given_at + field]) {
    problem(DiagCode::E2010, {path.str(), m_.structs[s.struct_index].fields[field].name}, at);
    return false;
  }
  given_[s.given_at + field] = 1;
  return true;
}

bool RecordBuilder::end_struct(const StructFill& s, const Path& path, uint32_t at, Value& out) {
  // The fields not given are at their defaults already (begin_struct).
  bool ok = true;
  for (const uint32_t i : blanks_[s.struct_index].required)
    if (!given_[s.given_at + i]) {
      problem(DiagCode::E2003, {path.str(), m_.structs[s.struct_index].fields[i].name}, at);
      ok = false;
    }
  given_.resize(s.given_at);  // nested structs are finished before their parent
  out = Value{s.base, 0};
  return ok;
}

Value RecordBuilder::end_list(size_t first, TypeId elem) {
  const auto n = static_cast<uint32_t>(items_.size() - first);
  const uint32_t width = slot_words(m_.types, elem);
  const uint32_t base = out_.data.alloc(n * width);
  for (uint32_t i = 0; i < n; ++i) out_.data.write(base + i * width, width == 2, items_[first + i]);
  items_.resize(first);
  return Value{base, static_cast<int64_t>(n)};
}

}  // namespace doudi::record
