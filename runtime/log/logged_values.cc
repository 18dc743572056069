#include "runtime/log/logged_values.h"

#include <charconv>

#include "runtime/record/record_json.h"
#include "runtime/source/utf8.h"

namespace doudi {
namespace {

// A record nests a few levels; simdjson's own limit bounds the text, this
// one the recursion over it.
constexpr size_t kMaxDepth = 256;

// The structure a shape's "sN" names, if it is one of `count`.
std::optional<size_t> struct_named(std::string_view shape, size_t count) {
  size_t n = 0;
  if (shape.size() < 2 || shape[0] != 's') return std::nullopt;
  const auto [end, ec] = std::from_chars(shape.data() + 1, shape.data() + shape.size(), n);
  if (ec != std::errc{} || end != shape.data() + shape.size() || n >= count) return std::nullopt;
  return n;
}

// "", or "[" and "?" before "sN" with N below `count`.
bool valid_shape(std::string_view shape, size_t count) {
  while (!shape.empty() && (shape[0] == '[' || shape[0] == '?')) shape.remove_prefix(1);
  return shape.empty() ? true : struct_named(shape, count).has_value();
}

}  // namespace

std::optional<InputShape> InputShape::read(simdjson::dom::element shape) {
  InputShape out;
  std::string_view root;
  simdjson::dom::array structs;
  if (shape["root"].get_string().get(root) || shape["structs"].get_array().get(structs)) return std::nullopt;
  out.root_ = root;
  for (simdjson::dom::element s : structs) {
    simdjson::dom::array fields;
    std::string_view name;
    if (s["name"].get_string().get(name) || s["fields"].get_array().get(fields)) return std::nullopt;
    Struct& st = out.structs_.emplace_back();
    for (simdjson::dom::element f : fields) {
      simdjson::dom::array parts;
      std::string_view field_name, field_shape;
      bool omissible = false;
      if (f.get_array().get(parts) || parts.size() != 3 || parts.at(0).get_string().get(field_name) ||
          parts.at(1).get_string().get(field_shape) || parts.at(2).get_bool().get(omissible))
        return std::nullopt;
      Field& field = st.fields.emplace_back();
      append_json_quoted(field.key, field_name);
      field.key += ':';
      field.shape = field_shape;
      field.omissible = omissible;
      st.omissible += omissible;
    }
  }
  // A record is a structure (the verifier sees to it), or, with no input
  // type, written as it is.
  if (!(out.root_.empty() || struct_named(out.root_, out.structs_.size()))) return std::nullopt;
  for (const auto& st : out.structs_)
    for (const auto& f : st.fields)
      if (!valid_shape(f.shape, out.structs_.size())) return std::nullopt;
  return out;
}

namespace {

namespace od = simdjson::ondemand;

std::string_view trimmed(std::string_view token) {
  while (!token.empty() && (token.back() == ' ' || token.back() == '\t' || token.back() == '\r' || token.back() == '\n'))
    token.remove_suffix(1);
  return token;
}

// An object's text as written; false if `v` is no object.
bool append_object(od::value v, std::string& out) {
  od::object o;
  std::string_view text;
  if (v.get_object().get(o) || o.raw_json().get(text)) return false;
  out += text;
  return true;
}

}  // namespace

bool append_as_written(simdjson::ondemand::value v, std::string& out) {
  od::json_type type;
  if (v.type().get(type)) return false;
  if (type == od::json_type::object) return append_object(v, out);
  if (type == od::json_type::array) {
    od::array a;
    std::string_view text;
    if (v.get_array().get(a) || a.raw_json().get(text)) return false;
    out += text;
    return true;
  }
  out += trimmed(v.raw_json_token());
  return true;
}

bool LoggedValues::read(std::string_view line, const InputShape* shape, const std::vector<std::string>* names,
                        std::string& input, std::string& outputs) {
  padded_.assign(line);
  padded_.append(simdjson::SIMDJSON_PADDING, ' ');
  od::document doc;
  od::value record, values;
  if (parser_.iterate(padded_.data(), line.size(), padded_.size()).get(doc) || doc["input"].get(record)) return false;
  input.clear();
  outputs.clear();
  // Either may be null: a rejected record's, an error result's.
  bool null = false;
  if (record.is_null().get(null)) return false;
  if (null) input = "null";
  else if (!(shape && !shape->root_.empty() ? value(record, *shape, shape->root_, input, 0) : append_object(record, input)))
    return false;
  if (doc["outputs"].get(values) || values.is_null().get(null)) return false;
  if (null) {
    outputs = "null";
    return true;
  }
  if (!names) return append_object(values, outputs);
  od::array array;
  if (values.get_array().get(array)) return false;
  outputs = "{";
  size_t i = 0;
  for (auto item : array) {
    od::value v;
    if (item.get(v) || i == names->size()) return false;
    if (i) outputs += ',';
    append_json_quoted(outputs, (*names)[i++]);
    outputs += ':';
    if (!append_as_written(v, outputs)) return false;
  }
  if (i != names->size()) return false;
  outputs += '}';
  return true;
}

bool LoggedValues::value(od::value v, const InputShape& shape, std::string_view of, std::string& out, size_t depth) {
  if (depth > kMaxDepth) return false;
  if (of.empty()) return append_as_written(v, out);
  if (of[0] == '?') {
    bool null = false;
    if (v.is_null().get(null)) return false;
    if (null) {
      out += "null";
      return true;
    }
    return value(v, shape, of.substr(1), out, depth + 1);
  }
  if (of[0] == '[') {
    od::array items;
    if (v.get_array().get(items)) return false;
    out += '[';
    bool first = true;
    for (auto item : items) {
      od::value x;
      if (item.get(x)) return false;
      if (!first) out += ',';
      first = false;
      if (!value(x, shape, of.substr(1), out, depth + 1)) return false;
    }
    out += ']';
    return true;
  }
  const InputShape::Struct& st = shape.structs_[*struct_named(of, shape.structs_.size())];  // checked by read()
  if (st.omissible > kMaxMaskedFields) return append_object(v, out);  // written keyed, as in format 3
  od::array values;
  if (v.get_array().get(values)) return false;
  auto at = values.begin();
  const auto end = values.end();
  uint64_t mask = ~uint64_t{0};
  if (st.omissible > 0) {
    if (at == end || (*at).get_uint64().get(mask) || (mask >> st.omissible) != 0) return false;
    ++at;
  }
  out += '{';
  bool first = true;
  unsigned bit = 0;
  for (const InputShape::Field& f : st.fields) {
    if (f.omissible && ((mask >> bit++) & 1) == 0) continue;
    if (at == end) return false;
    od::value x;
    if ((*at).get(x)) return false;
    if (!first) out += ',';
    first = false;
    out += f.key;
    if (!value(x, shape, f.shape, out, depth + 1)) return false;
    ++at;
  }
  if (at != end) return false;
  out += '}';
  return true;
}

}  // namespace doudi
