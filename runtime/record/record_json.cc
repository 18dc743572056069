#include "runtime/record/record_json.h"

#include "runtime/bundle/json_text.h"
#include "runtime/digest/digest.h"

namespace doudi {
namespace {

void write_value(const ir::Module& m, const RecordData& r, Value v, TypeId t, bool sensitive,
                 const std::string* key, std::string& out);

void write_struct(const ir::Module& m, const RecordData& r, Value v, uint32_t s, const std::string* key,
                  std::string& out) {
  const auto& st = m.structs[s];
  out += '{';
  for (size_t i = 0; i < st.fields.size(); ++i) {
    if (i) out += ',';
    out += json_quote(st.fields[i].name);
    out += ':';
    write_value(m, r, r.slots[static_cast<size_t>(v.a) + i], st.fields[i].type, st.fields[i].sensitive, key, out);
  }
  out += '}';
}

void write_value(const ir::Module& m, const RecordData& r, Value v, TypeId t, bool sensitive,
                 const std::string* key, std::string& out) {
  const Type& ty = m.types.get(t);
  if (ty.kind == TypeKind::Optional) {
    if (v.is_absent()) {
      out += "null";
      return;
    }
    write_value(m, r, v, ty.elem, sensitive, key, out);
    return;
  }
  if (ty.kind == TypeKind::Struct) {
    write_struct(m, r, v, ty.ref, key, out);
    return;
  }
  if (ty.kind == TypeKind::List) {
    out += '[';
    for (int64_t i = 0; i < v.b; ++i) {
      if (i) out += ',';
      write_value(m, r, r.slots[static_cast<size_t>(v.a + i)], ty.elem, false, key, out);
    }
    out += ']';
    return;
  }
  if (sensitive && key && ty.kind == TypeKind::Text) {
    out += json_quote(keyed_token(*key, v.text()));
    return;
  }
  out += value_to_json(m, v, t);
}

}  // namespace

std::string record_to_json(const ir::Module& m, const RecordData& r, const std::string* key) {
  std::string out;
  write_value(m, r, r.root, m.input_type, false, key, out);
  return out;
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
    for (size_t i = 0; i < st.fields.size(); ++i)
      collect_sensitive(m, r, r.slots[static_cast<size_t>(v.a) + i], st.fields[i].type, st.fields[i].sensitive, out);
  } else if (ty.kind == TypeKind::List) {
    for (int64_t i = 0; i < v.b; ++i) collect_sensitive(m, r, r.slots[static_cast<size_t>(v.a + i)], ty.elem, false, out);
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
