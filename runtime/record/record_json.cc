#include "runtime/record/record_json.h"

#include "runtime/bundle/json_text.h"
#include "runtime/digest/digest.h"
#include "runtime/ir/verify.h"
#include "runtime/record/record_layout.h"

#include <charconv>

namespace doudi {
namespace {

struct Writer {
  const ir::Module& m;
  const RecordData& r;
  const std::string* key;
  bool omit_defaults;
  std::string& out;
  const QuotedFieldNames* names;
  bool positional = false;  // the log's form (append_record_positional); implies omit_defaults

  void value(Value v, TypeId t, bool sensitive) {
    const Type& ty = m.types.get(t);
    if (ty.kind == TypeKind::Optional) {
      if (v.is_absent()) out += "null";
      else value(v, ty.elem, sensitive);
    } else if (ty.kind == TypeKind::Struct) {
      fields(v, ty.ref);
    } else if (ty.kind == TypeKind::List) {
      out += '[';
      for (int64_t i = 0; i < v.b; ++i) {
        if (i) out += ',';
        value(record::list_item(m.types, r, v, ty.elem, i), ty.elem, false);
      }
      out += ']';
    } else if (sensitive && key && ty.kind == TypeKind::Text) {
      append_json_quoted(out, keyed_token(*key, v.text()));
    } else {
      append_value_json(out, m, v, t);
    }
  }

  // A field at its default, or an optional one absent, is left out:
  // loading puts it back (the log's context line keeps the defaults, so a
  // replay under other rules does too).
  bool left_out(const ir::Field& f, Value field) const {
    return omit_defaults && (f.default_value ? field == *f.default_value
                                             : field.is_absent() && m.types.kind(f.type) == TypeKind::Optional);
  }

  void fields(Value v, uint32_t s) {
    if (positional) {
      const size_t omissible = names ? names->omissible[s] : omissible_fields(m, s);
      if (omissible <= kMaxMaskedFields) return positional_fields(v, s, omissible > 0);
      Writer keyed = *this;  // its values keyed too: a reader copies the object as it is
      keyed.positional = false;
      return keyed.fields(v, s);
    }
    const auto& st = m.structs[s];
    out += '{';
    bool first = true;
    record::each_field(m, r, v, s, [&](size_t i, Value field) {
      const ir::Field& f = st.fields[i];
      if (left_out(f, field)) return;
      if (!first) out += ',';
      first = false;
      if (names) {
        out += names->of_struct[s][i];
      } else {
        append_json_quoted(out, f.name);
        out += ':';
      }
      value(field, f.type, f.sensitive);
    });
    out += '}';
  }

  // [mask, value, ...]: the fields in order, those left out missing, and
  // first, if the structure has omissible fields, which of them are given
  // (bit j for the j-th omissible field).
  void positional_fields(Value v, uint32_t s, bool masked) {
    const auto& st = m.structs[s];
    out += '[';
    bool first = true;
    if (masked) {
      uint64_t mask = 0;
      unsigned bit = 0;
      record::each_field(m, r, v, s, [&](size_t i, Value field) {
        const ir::Field& f = st.fields[i];
        if (!omissible_field(m, f)) return;
        if (!left_out(f, field)) mask |= uint64_t{1} << bit;
        ++bit;
      });
      char digits[24];
      out.append(digits, std::to_chars(digits, digits + sizeof digits, mask).ptr);
      first = false;
    }
    record::each_field(m, r, v, s, [&](size_t i, Value field) {
      const ir::Field& f = st.fields[i];
      if (left_out(f, field)) return;
      if (!first) out += ',';
      first = false;
      value(field, f.type, f.sensitive);
    });
    out += ']';
  }
};

// The shape of a value of type `t` in the positional form: "" for one
// written as it is (no structure inside), "sN" for structure N, "[" and
// "?" before the shape of a list's items and of an optional's value.
// Verified types nest at most kMaxTypeDepth deep (and have no cycles); the
// bound only keeps an unverified module from recursing without end.
std::string shape_of(const ir::Module& m, TypeId t, uint32_t depth = 0) {
  if (t >= m.types.size() || depth > ir::kMaxTypeDepth) return {};
  const Type& ty = m.types.get(t);
  if (ty.kind == TypeKind::Struct) return "s" + std::to_string(ty.ref);
  if (ty.kind != TypeKind::List && ty.kind != TypeKind::Optional) return {};
  const std::string inner = shape_of(m, ty.elem, depth + 1);
  return inner.empty() ? inner : (ty.kind == TypeKind::List ? "[" : "?") + inner;
}

}  // namespace

bool omissible_field(const ir::Module& m, const ir::Field& f) {
  return f.default_value.has_value() || m.types.kind(f.type) == TypeKind::Optional;
}

size_t omissible_fields(const ir::Module& m, uint32_t struct_index) {
  size_t n = 0;
  for (const auto& f : m.structs[struct_index].fields) n += omissible_field(m, f);
  return n;
}

void append_record_positional(std::string& out, const ir::Module& m, const RecordData& r, const std::string* key,
                              const QuotedFieldNames* names) {
  Writer{m, r, key, true, out, names, true}.value(r.root, m.input_type, false);
}

std::string input_shape_json(const ir::Module& m) {
  std::string out = "{\"root\":";
  append_json_quoted(out, shape_of(m, m.input_type));
  out += ",\"structs\":[";
  for (size_t s = 0; s < m.structs.size(); ++s) {
    if (s) out += ',';
    out += "{\"name\":";
    append_json_quoted(out, m.structs[s].name);
    out += ",\"fields\":[";
    for (size_t i = 0; i < m.structs[s].fields.size(); ++i) {
      const ir::Field& f = m.structs[s].fields[i];
      if (i) out += ',';
      out += '[';
      append_json_quoted(out, f.name);
      out += ',';
      append_json_quoted(out, shape_of(m, f.type));
      out += omissible_field(m, f) ? ",true]" : ",false]";
    }
    out += "]}";
  }
  return out + "]}";
}

std::string record_to_json(const ir::Module& m, const RecordData& r, const std::string* key, bool omit_defaults) {
  std::string out;
  out.reserve(64 + r.words.size() * 12);  // one allocation for most records
  append_record_json(out, m, r, key, omit_defaults);
  return out;
}

QuotedFieldNames::QuotedFieldNames(const ir::Module& m) {
  for (uint32_t s = 0; s < m.structs.size(); ++s) omissible.push_back(omissible_fields(m, s));
  for (const auto& st : m.structs) {
    auto& names = of_struct.emplace_back();
    for (const auto& f : st.fields) {
      append_json_quoted(names.emplace_back(), f.name);
      names.back() += ':';
    }
  }
}

void append_record_json(std::string& out, const ir::Module& m, const RecordData& r, const std::string* key,
                        bool omit_defaults, const QuotedFieldNames* names) {
  Writer{m, r, key, omit_defaults, out, names}.value(r.root, m.input_type, false);
}

std::string schema_defaults_json(const ir::Module& m) {
  std::string out = "{";
  for (const auto& st : m.structs)
    for (const auto& f : st.fields) {
      if (!f.default_value) continue;
      if (out.size() > 1) out += ',';
      append_json_quoted(out, st.name + "." + f.name);
      out += ':';
      append_value_json(out, m, *f.default_value, f.type);
    }
  return out + "}";
}

std::string keyed_token(const std::string& key, std::string_view value) {
  return "hmac:" + hmac_sha256_hex(key, value).substr(0, 32);
}

namespace {

void collect_sensitive(const ir::Module& m, const RecordData& r, Value v, TypeId t, bool sensitive,
                       std::vector<std::string>& out) {
  const Type& ty = m.types.get(t);
  if (ty.kind == TypeKind::Optional) {
    if (!v.is_absent()) collect_sensitive(m, r, v, ty.elem, sensitive, out);
  } else if (ty.kind == TypeKind::Struct) {
    const auto& st = m.structs[ty.ref];
    record::each_field(m, r, v, ty.ref, [&](size_t i, Value field) {
      collect_sensitive(m, r, field, st.fields[i].type, st.fields[i].sensitive, out);
    });
  } else if (ty.kind == TypeKind::List) {
    for (int64_t i = 0; i < v.b; ++i)
      collect_sensitive(m, r, record::list_item(m.types, r, v, ty.elem, i), ty.elem, false, out);
  } else if (sensitive && ty.kind == TypeKind::Text) {
    out.emplace_back(v.text());
  }
}

}  // namespace

std::vector<std::string> sensitive_texts(const ir::Module& m, const RecordData& r) {
  std::vector<std::string> out;
  collect_sensitive(m, r, r.root, m.input_type, false, out);
  return out;
}

bool has_sensitive_fields(const ir::Module& m) {
  for (const auto& s : m.structs)
    for (const auto& f : s.fields)
      if (f.sensitive) return true;
  return false;
}

}  // namespace doudi
