#include "runtime/record/record_json.h"

#include "runtime/bundle/json_text.h"
#include "runtime/digest/digest.h"
#include "runtime/ir/verify.h"
#include "runtime/record/record_layout.h"
#include "runtime/value/decimal_digits.h"

#include <algorithm>
#include <bit>

namespace doudi {
namespace {

struct Writer {
  const ir::Module& m;
  const RecordData& r;
  const std::string* key;
  bool omit_defaults;
  std::string& out;
  const RecordWriterPlan* plan;
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

  // A structure's fields as the plan has them, or worked out now for a
  // record written alone.
  const std::vector<WrittenField>& fields_of(uint32_t s, std::vector<WrittenField>& scratch) const {
    if (plan) return plan->fields[s];
    scratch = written_fields(m, s);
    return scratch;
  }
  Value read(Value structure, const WrittenField& f) const {
    return r.read(static_cast<size_t>(structure.a) + f.offset, f.wide);
  }

  void fields(Value v, uint32_t s) {
    if (positional) {
      const size_t omissible = plan ? plan->omissible[s] : omissible_fields(m, s);
      if (omissible <= kMaxMaskedFields) return positional_fields(v, s, omissible > 0);
      Writer keyed = *this;  // its values keyed too: a reader copies the object as it is
      keyed.positional = false;
      return keyed.fields(v, s);
    }
    const auto& st = m.structs[s];
    std::vector<WrittenField> scratch;
    const auto& written = fields_of(s, scratch);
    out += '{';
    bool first = true;
    for (size_t i = 0; i < written.size(); ++i) {
      const Value field = read(v, written[i]);
      if (omit_defaults && written[i].left_out(field)) continue;
      if (!first) out += ',';
      first = false;
      if (plan) {
        out += plan->of_struct[s][i];
      } else {
        append_json_quoted(out, st.fields[i].name);
        out += ':';
      }
      value(field, st.fields[i].type, st.fields[i].sensitive);
    }
    out += '}';
  }

  // [mask, value, ...]: the fields in order, those left out missing, and
  // first, if the structure has omissible fields, which of them are given
  // (bit j for the j-th omissible field).
  void positional_fields(Value v, uint32_t s, bool masked) {
    const auto& st = m.structs[s];
    std::vector<WrittenField> scratch;
    const auto& written = fields_of(s, scratch);
    // Which fields are left out and which may be, worked out once for the
    // mask and the values; past the 64th field, again for each.
    uint64_t gone = 0, omissible = 0;
    const size_t known = std::min<size_t>(written.size(), 64);
    for (size_t i = 0; i < known; ++i) {
      gone |= uint64_t{written[i].left_out(read(v, written[i]))} << i;
      omissible |= uint64_t{written[i].omit != WrittenField::Omit::Never} << i;
    }
    out += '[';
    bool first = true;
    if (masked) {
      // Those of the first 64 given are a few of many, found by their bits.
      uint64_t mask = 0;
      for (uint64_t given = omissible & ~gone; given != 0; given &= given - 1)
        mask |= uint64_t{1} << written[static_cast<size_t>(std::countr_zero(given))].mask_bit;
      for (size_t i = known; i < written.size(); ++i)
        if (written[i].omit != WrittenField::Omit::Never && !written[i].left_out(read(v, written[i])))
          mask |= uint64_t{1} << written[i].mask_bit;
      append_decimal(out, mask);
      first = false;
    }
    const auto put = [&](size_t i, Value field) {
      if (!first) out += ',';
      first = false;
      value(field, st.fields[i].type, st.fields[i].sensitive);
    };
    for (uint64_t written_now = ~gone & (known == 64 ? ~uint64_t{0} : (uint64_t{1} << known) - 1); written_now != 0;
         written_now &= written_now - 1) {
      const auto i = static_cast<size_t>(std::countr_zero(written_now));
      put(i, read(v, written[i]));
    }
    for (size_t i = known; i < written.size(); ++i)
      if (const Value field = read(v, written[i]); !written[i].left_out(field)) put(i, field);
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

std::vector<WrittenField> written_fields(const ir::Module& m, uint32_t struct_index) {
  std::vector<WrittenField> out;
  const std::vector<uint32_t> at = record::offsets_of(m, struct_index);
  uint32_t omissible = 0;
  for (const auto& f : m.structs[struct_index].fields) {
    WrittenField& w = out.emplace_back();
    const size_t i = out.size() - 1;
    w.offset = at[i];
    w.wide = at[i + 1] - at[i] == 2;
    if (f.default_value) {
      w.omit = WrittenField::Omit::AtDefault;
      w.keep = Value{-1, -1};
      w.want = *f.default_value;
    } else if (m.types.kind(f.type) == TypeKind::Optional) {
      w.omit = WrittenField::Omit::WhenAbsent;
      w.keep = Value{0, -1};
      w.want = Value::absent();
    } else {
      w.keep = Value{0, 0};
      w.want = Value{1, 0};
    }
    if (w.omit != WrittenField::Omit::Never) w.mask_bit = omissible++;
  }
  return out;
}

size_t omissible_fields(const ir::Module& m, uint32_t struct_index) {
  size_t n = 0;
  for (const auto& f : m.structs[struct_index].fields) n += omissible_field(m, f);
  return n;
}

void append_record_positional(std::string& out, const ir::Module& m, const RecordData& r, const std::string* key,
                              const RecordWriterPlan* plan) {
  Writer{m, r, key, true, out, plan, true}.value(r.root, m.input_type, false);
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

namespace {

// A field's type as collect_sensitive reaches its values: through
// optionals (the field's 敏感 mark goes with them) and lists (their items
// are no field's), to a text, a structure or anything else. The bound only
// keeps an unverified module's chain of types from going on without end.
struct Reached {
  Type type;
  bool sensitive;
};
Reached reached(const ir::Module& m, TypeId t, bool sensitive) {
  for (uint32_t depth = 0; t < m.types.size() && depth <= ir::kMaxTypeDepth; ++depth) {
    const Type& ty = m.types.get(t);
    if (ty.kind != TypeKind::Optional && ty.kind != TypeKind::List) return {ty, sensitive};
    sensitive = sensitive && ty.kind == TypeKind::Optional;
    t = ty.elem;
  }
  return {Type{}, false};
}

// Per structure, whether a 敏感 text may be within it: one of its fields
// reaches such a text, or a structure with one. Worked out over the graph
// of which structure holds which, so a crafted module's structure that
// holds itself (nothing refuses one) costs no more than any other.
std::vector<bool> structures_with_sensitive_texts(const ir::Module& m) {
  const size_t n = m.structs.size();
  std::vector<bool> with(n, false);
  std::vector<std::vector<uint32_t>> held_by(n);
  std::vector<uint32_t> found;
  for (uint32_t s = 0; s < n; ++s)
    for (const auto& f : m.structs[s].fields) {
      const Reached r = reached(m, f.type, f.sensitive);
      if (r.type.kind == TypeKind::Text && r.sensitive && !with[s]) {
        with[s] = true;
        found.push_back(s);
      } else if (r.type.kind == TypeKind::Struct && r.type.ref < n) {
        held_by[r.type.ref].push_back(s);
      }
    }
  while (!found.empty()) {
    const uint32_t t = found.back();
    found.pop_back();
    for (const uint32_t s : held_by[t])
      if (!with[s]) {
        with[s] = true;
        found.push_back(s);
      }
  }
  return with;
}

}  // namespace

RecordWriterPlan::RecordWriterPlan(const ir::Module& m) {
  const std::vector<bool> with_sensitive = structures_with_sensitive_texts(m);
  for (uint32_t s = 0; s < m.structs.size(); ++s) {
    omissible.push_back(omissible_fields(m, s));
    fields.push_back(written_fields(m, s));
    auto& holders = sensitive.emplace_back();
    for (uint32_t i = 0; i < m.structs[s].fields.size(); ++i) {
      const Reached r = reached(m, m.structs[s].fields[i].type, m.structs[s].fields[i].sensitive);
      if ((r.type.kind == TypeKind::Text && r.sensitive) ||
          (r.type.kind == TypeKind::Struct && r.type.ref < with_sensitive.size() && with_sensitive[r.type.ref]))
        holders.push_back(i);
    }
  }
  for (const auto& st : m.structs) {
    auto& names = of_struct.emplace_back();
    for (const auto& f : st.fields) {
      append_json_quoted(names.emplace_back(), f.name);
      names.back() += ':';
    }
  }
}

void append_record_json(std::string& out, const ir::Module& m, const RecordData& r, const std::string* key,
                        bool omit_defaults, const RecordWriterPlan* plan) {
  Writer{m, r, key, omit_defaults, out, plan}.value(r.root, m.input_type, false);
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

// With a plan, a structure's fields that cannot hold a 敏感 text are not
// looked at (a Huining member has two that can, of 45).
void collect_sensitive(const ir::Module& m, const RecordData& r, const RecordWriterPlan* plan, Value v, TypeId t,
                       bool sensitive, std::vector<std::string>& out) {
  const Type& ty = m.types.get(t);
  if (ty.kind == TypeKind::Optional) {
    if (!v.is_absent()) collect_sensitive(m, r, plan, v, ty.elem, sensitive, out);
  } else if (ty.kind == TypeKind::Struct) {
    const auto& st = m.structs[ty.ref];
    if (!plan) {
      record::each_field(m, r, v, ty.ref, [&](size_t i, Value field) {
        collect_sensitive(m, r, plan, field, st.fields[i].type, st.fields[i].sensitive, out);
      });
      return;
    }
    for (const uint32_t i : plan->sensitive[ty.ref]) {
      const WrittenField& at = plan->fields[ty.ref][i];
      const Value field = r.read(static_cast<size_t>(v.a) + at.offset, at.wide);
      collect_sensitive(m, r, plan, field, st.fields[i].type, st.fields[i].sensitive, out);
    }
  } else if (ty.kind == TypeKind::List) {
    for (int64_t i = 0; i < v.b; ++i)
      collect_sensitive(m, r, plan, record::list_item(m.types, r, v, ty.elem, i), ty.elem, false, out);
  } else if (sensitive && ty.kind == TypeKind::Text) {
    out.emplace_back(v.text());
  }
}

}  // namespace

std::vector<std::string> sensitive_texts(const ir::Module& m, const RecordData& r, const RecordWriterPlan* plan) {
  std::vector<std::string> out;
  collect_sensitive(m, r, plan, r.root, m.input_type, false, out);
  return out;
}

bool has_sensitive_fields(const ir::Module& m) {
  for (const auto& s : m.structs)
    for (const auto& f : s.fields)
      if (f.sensitive) return true;
  return false;
}

}  // namespace doudi
