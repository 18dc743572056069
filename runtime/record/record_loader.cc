#include "runtime/record/record_loader.h"

#include "runtime/record/record_builder.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <map>
#include <optional>

#include "runtime/source/utf8.h"

namespace doudi {
namespace {

namespace od = simdjson::ondemand;

// A household is a few levels deep (household, members, a member's fields);
// deeper text is refused before anything recurses over it.
constexpr size_t kMaxRecordDepth = 64;

using record::Path;
using record::RecordBuilder;
using record::Scalar;

std::string both(std::string_view zh, std::string_view en) { return bilingual(zh, en); }

std::string json_kind(od::json_type t) {
  switch (t) {
    case od::json_type::array: return both("数组", "an array");
    case od::json_type::object: return both("对象", "an object");
    case od::json_type::number: return both("数字", "a number");
    case od::json_type::string: return both("字符串", "a string");
    case od::json_type::boolean: return both("布尔值", "a boolean");
    case od::json_type::null: return "null";
  }
  return "?";
}

// Where read_fast's values are: nowhere it says (a problem sends the
// record back to read(), which knows).
const Path kRoot{};

// A number token as plain JSON writes an amount or a whole number that fits
// with room to spare: -?(0|[1-9][0-9]{0,15}), and for an amount .d or .dd
// after it; the value (an amount in 分). nullopt for anything else, which
// RecordBuilder::number reads (or words the problem of).
std::optional<int64_t> plain_number(std::string_view token, bool money) {
  size_t i = 0;
  const bool negative = !token.empty() && token[0] == '-';
  i += negative;
  const size_t start = i;
  int64_t whole = 0;
  while (i < token.size() && token[i] >= '0' && token[i] <= '9' && i - start < 16) whole = whole * 10 + (token[i++] - '0');
  const size_t digits = i - start;
  if (digits == 0 || (digits > 1 && token[start] == '0')) return std::nullopt;
  int64_t cents = 0;
  if (money) {
    if (i < token.size() && token[i] == '.') {
      ++i;
      size_t decimals = 0;
      while (i < token.size() && token[i] >= '0' && token[i] <= '9' && decimals < 2) {
        cents = cents * 10 + (token[i++] - '0');
        ++decimals;
      }
      if (decimals == 0) return std::nullopt;
      if (decimals == 1) cents *= 10;
    }
    whole *= 100;
  }
  // Nothing but what trails a token (a space, a line break) may follow.
  for (; i < token.size(); ++i)
    if (token[i] != ' ' && token[i] != '\t' && token[i] != '\r' && token[i] != '\n') return std::nullopt;
  const int64_t n = whole + cents;
  return negative ? -n : n;
}

// An amount written as decimal text ("828.50": CSV cells become such text,
// and many exports write amounts so), as plain_number reads the number
// itself: the value parse_money_yuan gives the text. None for any other
// text (an escape, a space, a third decimal...), which goes the strict way.
std::optional<int64_t> plain_amount_text(std::string_view token) {
  if (token.size() < 3 || token[0] != '"') return std::nullopt;
  const size_t close = token.find('"', 1);
  if (close == std::string_view::npos) return std::nullopt;
  const std::string_view text = token.substr(1, close - 1);
  // plain_number lets blanks trail a token; within the text they are not a number's.
  if (text.empty() || text.back() < '0' || text.back() > '9') return std::nullopt;
  for (size_t i = close + 1; i < token.size(); ++i)
    if (token[i] != ' ' && token[i] != '\t' && token[i] != '\r' && token[i] != '\n') return std::nullopt;
  return plain_number(text, true);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t' || s.back() == ','))
    s.remove_suffix(1);
  return s;
}

// Walks a record's JSON text and hands each value to the RecordBuilder,
// which checks it against the schema.
class Loader {
 public:
  Loader(const ir::Module& m, const char* base, LoadedRecord& out, const record::LoggedDefaults* defaults = nullptr,
         const record::StructOffsets* offsets = nullptr)
      : m_(m), base_(base), b_(m, out, defaults, offsets) {}

  uint32_t offset_of(const char* p) const { return p ? static_cast<uint32_t>(p - base_) : 0; }

  // For another record's text, into the same LoadedRecord.
  void restart(const char* base) {
    base_ = base;
    b_.reset();
  }

  // Reads one value of type `t` at `path`. Returns false if it was reported.
  bool read(od::value v, TypeId t, const Path& path, Value& out, bool may_be_negative = false) {
    std::string_view raw = trim(v.raw_json_token());
    const uint32_t at = offset_of(raw.data());
    const od::json_type jt = v.type();
    TypeId inner = t;
    if (m_.types.kind(t) == TypeKind::Optional && jt != od::json_type::null) inner = m_.types.get(t).elem;
    const Type& ty = m_.types.get(inner);
    switch (jt) {
      case od::json_type::object:
        if (ty.kind != TypeKind::Struct) return b_.mismatch(path, inner, json_kind(jt), at);
        return read_struct(v.get_object().value(), ty.ref, path, at, out);
      case od::json_type::array: {
        if (ty.kind != TypeKind::List) return b_.mismatch(path, inner, json_kind(jt), at);
        const size_t first = b_.begin_list();
        bool ok = true;
        size_t i = 0;
        for (auto elem : v.get_array()) {
          Value item;
          ok &= read(elem.value(), ty.elem, Path{&path, {}, i++}, item, may_be_negative);
          b_.add_item(item);
        }
        out = b_.end_list(first, ty.elem);
        return ok;
      }
      case od::json_type::number: return b_.scalar(Scalar{Scalar::Kind::Number, raw, 0}, t, path, at, out, may_be_negative);
      case od::json_type::string:
        return b_.scalar(Scalar{Scalar::Kind::String, v.get_string().value(), 0}, t, path, at, out, may_be_negative);
      case od::json_type::boolean:
        return b_.scalar(Scalar{Scalar::Kind::Bool, {}, v.get_bool().value() ? 1 : 0}, t, path, at, out, may_be_negative);
      case od::json_type::null:
        if (!v.is_null().value()) throw simdjson::simdjson_error(simdjson::N_ATOM_ERROR);
        return b_.scalar(Scalar{}, t, path, at, out, may_be_negative);
    }
    return b_.mismatch(path, t, json_kind(jt), at);
  }

  // The way most records go, when a reader of many keeps a plan of the
  // module's types (FastPlan): the same values in the same words, read
  // without working out where each value is or what its path would be,
  // amounts and whole numbers written plainly parsed where they lie, keys
  // matched as written. False at anything else (an unknown or escaped key,
  // an amount in another form, a problem): the record is then read again
  // by read(), whose messages say what is wrong.
  struct FastPlan {
    enum class Kind : uint8_t { Money, Whole, Bool, Struct, List, Optional, Other };
    std::vector<Kind> kinds;  // [type]
    // [struct]: no two fields of one name (a crafted bundle may have them;
    // the strict loader then takes the last, and such a struct goes its way).
    std::vector<bool> distinct_names;
    explicit FastPlan(const ir::Module& m) {
      for (const auto& st : m.structs) {
        std::vector<std::string_view> names;
        for (const auto& f : st.fields) names.push_back(f.name);
        std::sort(names.begin(), names.end());
        distinct_names.push_back(std::adjacent_find(names.begin(), names.end()) == names.end());
      }
      for (TypeId t = 0; t < m.types.size(); ++t) {
        switch (m.types.kind(t)) {
          case TypeKind::Money: kinds.push_back(Kind::Money); break;
          case TypeKind::Int: case TypeKind::Months: case TypeKind::Days: kinds.push_back(Kind::Whole); break;
          case TypeKind::Bool: kinds.push_back(Kind::Bool); break;
          case TypeKind::Struct: kinds.push_back(Kind::Struct); break;
          case TypeKind::List: kinds.push_back(Kind::List); break;
          case TypeKind::Optional: kinds.push_back(Kind::Optional); break;
          default: kinds.push_back(Kind::Other);
        }
      }
    }
  };

  bool read_fast(const FastPlan& plan, od::value v, TypeId t, Value& out, bool may_be_negative, size_t depth = 0) {
    // A record nested deeper than half what the strict parse allows
    // (kMaxRecordDepth, counted otherwise) goes the strict way, which
    // refuses it if it is too deep.
    if (t >= plan.kinds.size() || depth >= kMaxRecordDepth / 2) return false;
    switch (plan.kinds[t]) {
      case FastPlan::Kind::Money:
      case FastPlan::Kind::Whole: {
        const std::string_view token = v.raw_json_token();
        const bool money = plan.kinds[t] == FastPlan::Kind::Money;
        if (const auto n = plain_number(token, money); n && (*n >= 0 || may_be_negative)) {
          out = Value::of(*n);
          return true;
        }
        if (const auto n = money ? plain_amount_text(token) : std::nullopt; n && (*n >= 0 || may_be_negative)) {
          out = Value::of(*n);
          return true;
        }
        break;
      }
      case FastPlan::Kind::Bool: {
        bool b = false;
        if (v.get_bool().get(b) == simdjson::SUCCESS) {
          out = Value::of_bool(b);
          return true;
        }
        break;
      }
      case FastPlan::Kind::Struct: {
        od::object obj;
        if (v.get_object().get(obj)) return false;
        return read_struct_fast(plan, obj, m_.types.get(t).ref, out, depth);
      }
      case FastPlan::Kind::List: {
        od::array items;
        if (v.get_array().get(items)) return false;
        const TypeId elem = m_.types.get(t).elem;
        const size_t first = b_.begin_list();
        for (auto item : items) {
          od::value x;
          Value value;
          if (item.get(x) || !read_fast(plan, x, elem, value, may_be_negative, depth + 1)) return false;
          b_.add_item(value);
        }
        out = b_.end_list(first, elem);
        return true;
      }
      case FastPlan::Kind::Optional: {
        bool null = false;
        if (v.is_null().get(null)) return false;
        if (null) {
          out = Value::absent();
          return true;
        }
        return read_fast(plan, v, m_.types.get(t).elem, out, may_be_negative, depth + 1);
      }
      case FastPlan::Kind::Other: break;
    }
    // Texts, dates, enums, ratios, and numbers written otherwise: as read() reads them.
    return read(v, t, kRoot, out, may_be_negative);
  }

  bool read_struct_fast(const FastPlan& plan, od::object obj, uint32_t struct_index, Value& out, size_t depth) {
    if (!plan.distinct_names[struct_index]) return false;
    const auto& fields = m_.structs[struct_index].fields;
    const auto fill = b_.begin_struct(struct_index);
    size_t next = 0;  // keys mostly come in the schema's order
    for (auto field : obj) {
      od::raw_json_string key;
      if (field.key().get(key)) return false;
      size_t fi = next < fields.size() && key.unsafe_is_equal(fields[next].name) ? next : fields.size();
      for (size_t i = 0; fi == fields.size() && i < fields.size(); ++i)
        if (key.unsafe_is_equal(fields[i].name)) fi = i;
      if (fi == fields.size() || !b_.give(fill, fi, kRoot, 0)) return false;
      od::value x;
      Value value;
      if (field.value().get(x) || !read_fast(plan, x, fields[fi].type, value, fields[fi].signed_, depth + 1)) return false;
      b_.set(fill, fi, value);
      next = fi + 1;
    }
    return b_.end_struct(fill, kRoot, 0, out);
  }

  bool read_struct(od::object obj, uint32_t struct_index, const Path& path, uint32_t at, Value& out) {
    const auto& st = m_.structs[struct_index];
    const auto fill = b_.begin_struct(struct_index);
    bool ok = true;
    for (auto field : obj) {
      // key() must come before unescaped_key(), which consumes the key.
      const uint32_t key_at = offset_of(field.key().value().raw() - 1);
      std::string_view key = field.unescaped_key().value();
      // The last field of that name (a verified module has one of each).
      size_t fi = st.fields.size();
      for (size_t i = st.fields.size(); i-- > 0;)
        if (st.fields[i].name == key) {
          fi = i;
          break;
        }
      if (fi == st.fields.size()) {
        b_.problem(DiagCode::E2004, {path.str(), std::string(key)}, key_at);
        ok = false;
        continue;
      }
      if (!b_.give(fill, fi, path, key_at)) {
        ok = false;
        continue;
      }
      Value value;
      ok &= read(field.value().value(), st.fields[fi].type, Path{&path, key}, value, st.fields[fi].signed_);
      b_.set(fill, fi, value);
    }
    return b_.end_struct(fill, path, at, out) && ok;
  }

 private:
  const ir::Module& m_;
  const char* base_;
  RecordBuilder b_;
};

std::string syntax_error_text(simdjson::error_code e);

// The defaults a log's context line gives ({"Struct.field": value}), read
// with the types the rules now give those fields. A default that no longer
// fits its field is a problem of the record.
record::LoggedDefaults read_logged_defaults(const ir::Module& m, std::string_view json,
                                                               LoadedRecord& out) {
  record::LoggedDefaults defaults;
  simdjson::padded_string padded(json);
  od::parser parser;
  try {
    od::document doc = parser.iterate(padded);
    for (auto field : doc.get_object()) {
      const std::string name(field.unescaped_key().value());
      const size_t dot = name.find('.');
      const ir::Field* target = nullptr;
      for (const auto& st : m.structs)
        if (dot != std::string::npos && st.name == std::string_view(name).substr(0, dot))
          for (const auto& f : st.fields)
            if (f.name == std::string_view(name).substr(dot + 1)) target = &f;
      if (!target) continue;  // a field these rules do not have: nothing to restore
      Loader loader(m, padded.data(), out);
      Value v;
      if (loader.read(field.value().value(), target->type, Path{nullptr, {}, 0}, v, target->signed_)) defaults[name] = v;
    }
  } catch (const simdjson::simdjson_error& e) {
    out.problems.push_back(RecordProblem{DiagCode::E2001, {syntax_error_text(e.error())}, 0});
  }
  return defaults;
}

// Walks every value on demand, so the walk stops at the first syntax error.
// Only text already found no deeper than kMaxRecordDepth gets here; the
// depth is checked again all the same, since a record drives the recursion.
simdjson::error_code walk_all(od::value v, size_t depth = 0) {
  if (depth > kMaxRecordDepth) return simdjson::DEPTH_ERROR;
  od::json_type t;
  if (auto e = v.type().get(t)) return e;
  switch (t) {
    case od::json_type::object: {
      od::object o;
      if (auto e = v.get_object().get(o)) return e;
      for (auto field : o) {
        od::value x;
        if (auto e = field.value().get(x)) return e;
        if (auto e = walk_all(x, depth + 1)) return e;
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::array: {
      od::array a;
      if (auto e = v.get_array().get(a)) return e;
      for (auto item : a) {
        od::value x;
        if (auto e = item.get(x)) return e;
        if (auto e = walk_all(x, depth + 1)) return e;
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::number: {
      od::number n;
      return v.get_number().get(n);
    }
    case od::json_type::string: {
      std::string_view s;
      return v.get_string().get(s);
    }
    case od::json_type::boolean: {
      bool b;
      return v.get_bool().get(b);
    }
    case od::json_type::null: return v.is_null().error();
  }
  return simdjson::SUCCESS;
}

// Where the first syntax error is: the on-demand walk stops there (or, for
// text after a complete value, just after that value).
uint32_t syntax_error_offset(const simdjson::padded_string& text) {
  od::parser parser;
  od::document doc;
  if (parser.iterate(text).get(doc) != simdjson::SUCCESS) return 0;
  od::value root;
  if (doc.get_value().get(root) == simdjson::SUCCESS) (void)walk_all(root);
  const char* at = nullptr;
  if (doc.current_location().get(at) != simdjson::SUCCESS || at < text.data()) return static_cast<uint32_t>(text.size());
  return static_cast<uint32_t>(std::min<size_t>(static_cast<size_t>(at - text.data()), text.size()));
}

// The nesting of the text outside strings: whether it ends with a { or [
// still open (a cut-off record), and where it first goes deeper than
// kMaxRecordDepth (npos if it never does).
struct Nesting {
  bool unclosed = false;
  size_t too_deep_at = std::string_view::npos;
};
Nesting nesting(std::string_view text) {
  Nesting out;
  size_t depth = 0;
  bool in_string = false, escaped = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (in_string) {
      if (escaped) escaped = false;
      else if (ch == '\\') escaped = true;
      else if (ch == '"') in_string = false;
    } else if (ch == '"') {
      in_string = true;
    } else if (ch == '{' || ch == '[') {
      if (++depth > kMaxRecordDepth && out.too_deep_at == std::string_view::npos) out.too_deep_at = i;
    } else if ((ch == '}' || ch == ']') && depth > 0) {
      --depth;
    }
  }
  out.unclosed = depth > 0 || in_string;
  return out;
}

// Whether simdjson refused, as a number, one at `at` that is valid JSON (an
// integer past 64 bits, a value past a double's range): too large for any
// amount or count, and to be told so rather than called malformed.
bool too_large_number(simdjson::error_code e, std::string_view json, uint32_t at) {
  if (e != simdjson::NUMBER_ERROR) return false;
  const size_t end = std::min(json.find_first_not_of("0123456789+-.eE", at), json.size());
  const bool token_ends = end == json.size() || std::string_view(",}] \t\r\n").find(json[end]) != std::string_view::npos;
  return end > at && token_ends && record::json_number(json.substr(at, end - at));
}

std::string too_large_number_text() {
  return both("数字过大，无法读取（超出 64 位整数与双精度数的范围；任何金额或人数都不会这么大）",
              "a number too large to read (past 64-bit integers and doubles; no amount or count is this large)");
}

// What is wrong, in both languages (simdjson's own messages are English only).
std::string syntax_error_text(simdjson::error_code e) {
  switch (e) {
    case simdjson::TAPE_ERROR:
      return both("结构不完整或有误：逗号、括号或键缺失或多余", "improper structure: a comma, brace, bracket or key missing or superfluous");
    case simdjson::EMPTY: return both("内容为空", "empty");
    case simdjson::UNCLOSED_STRING: return both("字符串没有结束的引号", "a string without its closing quote");
    case simdjson::STRING_ERROR: return both("字符串中有无效的转义或控制字符", "an invalid escape or control character in a string");
    case simdjson::UNESCAPED_CHARS:
      return both("字符串中有未转义的控制字符（如换行、制表符）", "a control character (a line break, a tab) not escaped in a string");
    case simdjson::T_ATOM_ERROR: case simdjson::F_ATOM_ERROR: case simdjson::N_ATOM_ERROR:
      return both("无效的字面量（应为 true、false 或 null）", "an invalid literal (expected true, false or null)");
    case simdjson::NUMBER_ERROR: return both("无效的数字，或内容在此处中断", "an invalid number, or the text ends here");
    case simdjson::DEPTH_ERROR:
      return both(fmt::format("嵌套超过 {} 层", kMaxRecordDepth), fmt::format("nested more than {} levels deep", kMaxRecordDepth));
    case simdjson::TRAILING_CONTENT: return both("完整的值之后还有内容", "more text after a complete value");
    default: return both(std::string("无法解析：") + simdjson::error_message(e), simdjson::error_message(e));
  }
}

}  // namespace

LoadedRecord load_record_json(const ir::Module& m, std::string_view json, std::string_view logged_defaults) {
  LoadedRecord out;
  record::LoggedDefaults defaults;
  if (!logged_defaults.empty()) {
    defaults = read_logged_defaults(m, logged_defaults, out);
    if (!out.ok()) return out;
  }
  if (auto bad = find_invalid_utf8(json)) {
    // The byte counted from 1, as the service counts it (the offset from 0).
    out.problems.push_back(RecordProblem{DiagCode::E2002, {std::to_string(*bad + 1)}, static_cast<uint32_t>(*bad)});
    return out;
  }
  simdjson::padded_string padded(json);
  {
    // Strict validation of the whole text (trailing content included) first;
    // the on-demand walk below then reads exact number tokens.
    simdjson::dom::parser strict;
    auto result = strict.allocate(padded.size(), kMaxRecordDepth) == simdjson::SUCCESS
                      ? strict.parse(padded)
                      : simdjson::simdjson_result<simdjson::dom::element>(simdjson::MEMALLOC);
    if (result.error() != simdjson::SUCCESS) {
      const Nesting shape = nesting(json);
      if (result.error() == simdjson::DEPTH_ERROR && shape.too_deep_at != std::string_view::npos)
        out.problems.push_back(RecordProblem{DiagCode::E2001, {syntax_error_text(simdjson::DEPTH_ERROR)},
                                             static_cast<uint32_t>(shape.too_deep_at)});
      else if (shape.unclosed)
        out.problems.push_back(RecordProblem{
            DiagCode::E2001,
            {both("记录在所有 { 与 [ 闭合之前就结束了（被截断？）", "the text ends before every { and [ is closed (cut off?)")},
            static_cast<uint32_t>(json.find_last_not_of(" \t\r\n") + 1)});
      else {
        const uint32_t at = syntax_error_offset(padded);
        out.problems.push_back(RecordProblem{DiagCode::E2001, {too_large_number(result.error(), json, at) ? too_large_number_text()
                                                                                           : syntax_error_text(result.error())},
                                             at});
      }
      return out;
    }
  }
  od::parser parser;
  od::document doc;
  const char* base = padded.data();
  Loader loader(m, base, out, logged_defaults.empty() ? nullptr : &defaults);
  try {
    doc = parser.iterate(padded);
    od::value root = doc.get_value();
    loader.read(root, m.input_type, Path{}, out.data.root);
  } catch (const simdjson::simdjson_error& e) {
    od::json_type scalar;
    if (e.error() == simdjson::SCALAR_DOCUMENT_AS_VALUE && doc.type().get(scalar) == simdjson::SUCCESS) {
      // A number, a text, true, false or null where the record should be:
      // the wrong type, as for an array there (not the parser's own words).
      out.problems.push_back(RecordProblem{
          DiagCode::E2005,
          {Path{}.str(), both(m.type_name(m.input_type, true), m.type_name(m.input_type, false)), json_kind(scalar)},
          static_cast<uint32_t>(json.find_first_not_of(" \t\r\n"))});
      return out;
    }
    const char* where = nullptr;
    if (doc.current_location().get(where) != simdjson::SUCCESS) where = base;
    out.problems.push_back(
        RecordProblem{DiagCode::E2001, {syntax_error_text(e.error())}, loader.offset_of(where)});
  }
  // A record loaded on its own is often kept with many others (a caseload
  // held in memory for a what-if or a replay): held at its size, with none
  // of the spare room its growth left, it takes fewer bytes, and records
  // loaded one after another lie nearer one another, as deciding reads
  // them (benchmark households decided by decide_each from records apart:
  // 42 → 38 ns each; the copy is small beside parsing the JSON).
  out.data.words.shrink_to_fit();
  return out;
}

// The parser and the loader (its builder's stacks) are kept from record to
// record: made afresh, their storage was allocated and freed for each.
struct RecordReader::Parser {
  Parser(const ir::Module& m, LoadedRecord& out, const record::StructOffsets& offsets)
      : loader(m, nullptr, out, nullptr, &offsets), plan(m) {}
  od::parser parser;
  Loader loader;
  const Loader::FastPlan plan;
};

RecordReader::RecordReader(const ir::Module& m)
    : m_(m), offsets_(record::struct_offsets(m)) {
  parser_ = std::make_unique<Parser>(m_, record_, offsets_);
}
RecordReader::~RecordReader() = default;

const LoadedRecord& RecordReader::load(std::string_view json, size_t readable) {
  record_.problems.clear();
  record_.data.words.clear();
  record_.data.strings.clear();
  record_.data.root = Value{};
  // Read once, on demand, straight from the caller's buffer. Anything
  // unusual (a problem, a syntax error, text after the record) is read
  // again by load_record_json, whose strict parse gives the exact message.
  if (readable >= json.size() + simdjson::SIMDJSON_PADDING) {
    Loader& loader = parser_->loader;
    loader.restart(json.data());
    try {
      od::document doc = parser_->parser.iterate(json.data(), json.size(), readable);
      od::value root = doc.get_value();
      // Nothing may follow the record: past the last token, the document has
      // no current location (simdjson 3.0 has no at_end on documents).
      if (loader.read_fast(parser_->plan, root, m_.input_type, record_.data.root, false) && record_.ok() &&
          doc.current_location().error() == simdjson::OUT_OF_BOUNDS)
        return record_;
    } catch (const simdjson::simdjson_error&) {
    }
  }
  record_ = load_record_json(m_, json);
  return record_;
}

std::string render_record_problems(const std::vector<RecordProblem>& problems, const std::string& path,
                                   std::string_view json, const RenderOptions& opts, uint32_t first_line) {
  // A record that is not UTF-8 (GBK, most often) is shown as its shape
  // alone: every byte but JSON's punctuation and spaces as `?`, one for one,
  // so the line and column (in bytes) of the first bad byte stay where they
  // were. Its keys cannot be read, so its sensitive values could not be
  // masked: none of its text is shown.
  std::string shown(json);
  const bool not_utf8 =
      std::any_of(problems.begin(), problems.end(), [](const RecordProblem& p) { return p.code == DiagCode::E2002; });
  if (not_utf8)
    for (char& c : shown)
      if (std::string_view("{}[]:,\" \t\r\n").find(c) == std::string_view::npos) c = '?';
  SourceManager sm;
  const FileId fid = sm.add(path, std::move(shown), first_line);
  std::string out;
  for (const auto& p : problems) {
    const auto size = static_cast<uint32_t>(json.size());
    const uint32_t begin = std::min(p.offset, size);
    uint32_t end = begin;
    // Underline the token that starts here.
    while (end < size && json[end] != ',' && json[end] != '\n' && json[end] != '}' && json[end] != ']') ++end;
    while (end > begin && json[end - 1] == ' ') --end;
    if (end == begin && end < size) ++end;
    Diagnostic d{p.code, Span{fid, begin, end}, p.args, {}};
    const bool nowhere = p.code == DiagCode::E2002 && p.offset >= size;  // a typed value's text, not the record's
    if (p.code == DiagCode::E2002) d.span = nowhere ? Span{} : Span{fid, begin, begin + 1};  // the one byte
    d.notes.insert(d.notes.end(), p.notes.begin(), p.notes.end());
    out += render(d, sm, opts);
    if (nowhere && !opts.json) out += fmt::format("  --> {}\n", path);
    out += separator(opts);
  }
  return out;
}

}  // namespace doudi
