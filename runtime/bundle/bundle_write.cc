#include <fmt/format.h>
#include <fmt/ranges.h>

#include "runtime/bundle/bundle.h"
#include "runtime/bundle/json_text.h"
#include "runtime/digest/digest.h"

namespace doudi {
// "None" (no parent, owner or jurisdiction) is written as 4294967295, its
// UINT32_MAX value: every bundle so far has been, and digests are over this text.
namespace {

// Values are written by type so text values (pointers) become strings.
std::string value_json(const ir::Module& m, Value v, TypeId t) {
  const Type& ty = m.types.get(t);
  if (ty.kind == TypeKind::Optional) {
    if (v.is_absent()) return "null";
    return value_json(m, v, ty.elem);
  }
  if (ty.kind == TypeKind::Text) return json_quote(v.text());
  if (ty.kind == TypeKind::Ratio) return fmt::format("[{},{}]", v.a, v.b);
  return fmt::format("[{},{}]", v.a, v.b);
}

std::string strings_json(const std::vector<std::string>& xs) {
  std::string out = "[";
  for (size_t i = 0; i < xs.size(); ++i) out += (i ? "," : "") + json_quote(xs[i]);
  return out + "]";
}

}  // namespace

std::string canonical_module_text(const ir::Module& m) {
  std::string o = "{";
  o += "\"language\":" + json_quote(kLanguageVersion);
  o += ",\"name\":" + json_quote(m.name);
  o += ",\"types\":[";
  for (TypeId t = 0;; ++t) {
    // The table grows by interning; walk until an id past the end.
    if (t >= m.types.size()) break;
    const Type& ty = m.types.get(t);
    o += fmt::format("{}[{},{},{},{}]", t ? "," : "", static_cast<int>(ty.kind), static_cast<int>(ty.period), ty.ref,
                     ty.elem);
  }
  o += "],\"enums\":[";
  for (size_t i = 0; i < m.enums.size(); ++i)
    o += fmt::format("{}{{\"name\":{},\"values\":{}}}", i ? "," : "", json_quote(m.enums[i].name),
                     strings_json(m.enums[i].values));
  o += "],\"structs\":[";
  for (size_t i = 0; i < m.structs.size(); ++i) {
    const auto& s = m.structs[i];
    o += fmt::format("{}{{\"name\":{},\"fields\":[", i ? "," : "", json_quote(s.name));
    for (size_t f = 0; f < s.fields.size(); ++f) {
      const auto& fd = s.fields[f];
      o += fmt::format("{}{{\"name\":{},\"type\":{},\"sensitive\":{},\"required\":{},\"default\":{}{}}}", f ? "," : "",
                       json_quote(fd.name), fd.type, fd.sensitive, fd.required,
                       fd.default_value ? value_json(m, *fd.default_value, fd.type) : "\"none\"",
                       // Only when set: the digests of bundles without 可为负 stay as they were.
                       fd.signed_ ? ",\"signed\":true" : "");
    }
    o += "]}";
  }
  o += fmt::format("],\"input\":{{\"name\":{},\"type\":{}}}", json_quote(m.input_name), m.input_type);
  o += ",\"jurisdictions\":[";
  for (size_t i = 0; i < m.jurisdictions.size(); ++i)
    o += fmt::format("{}{{\"name\":{},\"parent\":{}}}", i ? "," : "", json_quote(m.jurisdictions[i].name),
                     static_cast<int64_t>(m.jurisdictions[i].parent));
  o += "],\"params\":[";
  for (size_t i = 0; i < m.params.size(); ++i) {
    const auto& p = m.params[i];
    o += fmt::format("{}{{\"name\":{},\"type\":{},\"values\":[", i ? "," : "", json_quote(p.name), p.type);
    for (size_t k = 0; k < p.values.size(); ++k) {
      const auto& v = p.values[k];
      o += fmt::format("{}{{\"jurisdiction\":{},\"from\":{},\"until\":{},\"value\":{},\"citations\":{},"
                       "\"provisions\":{},\"loc\":{}}}",
                       k ? "," : "", static_cast<int64_t>(v.jurisdiction), v.from,
                       v.until, value_json(m, v.value, p.type), strings_json(v.citations),
                       strings_json(v.provisions), v.loc);
    }
    o += "]}";
  }
  o += "],\"constants\":[";
  for (size_t i = 0; i < m.constants.size(); ++i)
    o += fmt::format("{}[{},{}]", i ? "," : "", m.constant_types[i], value_json(m, m.constants[i], m.constant_types[i]));
  o += "],\"functions\":[";
  for (size_t i = 0; i < m.functions.size(); ++i) {
    const auto& f = m.functions[i];
    o += fmt::format(
        "{}{{\"name\":{},\"kind\":{},\"owner\":{},\"label\":{},\"params\":{},\"result\":{},\"loc\":{},"
        "\"citations\":{},\"notes\":{},\"provisions\":{},\"regs\":[",
        i ? "," : "", json_quote(f.name), static_cast<int>(f.kind),
        static_cast<int64_t>(f.owner), json_quote(f.label), f.num_params, f.result,
        f.loc, strings_json(f.citations), strings_json(f.notes), strings_json(f.provisions));
    for (size_t r = 0; r < f.regs.size(); ++r) o += fmt::format("{}{}", r ? "," : "", f.regs[r]);
    o += "],\"code\":[";
    for (size_t k = 0; k < f.code.size(); ++k) {
      const auto& in = f.code[k];
      o += fmt::format("{}[{},{},{},{},{},{},{}]", k ? "," : "", static_cast<int>(in.op), in.dst, in.a, in.b, in.c,
                       in.d, in.loc);
    }
    o += "]";
    // Written only when present, so bundles made before explanations read
    // the tree keep their digests.
    if (!f.tree.empty()) {
      o += ",\"tree\":[";
      for (size_t k = 0; k < f.tree.size(); ++k) {
        const auto& n = f.tree[k];
        o += fmt::format("{}[{},{},{},{},{},{},[{}]]", k ? "," : "", static_cast<int>(n.shape), n.op, n.round, n.reg,
                         n.loc, n.ref, fmt::join(n.kids, ","));
      }
      o += "]";
    }
    o += "}";
  }
  o += "],\"flags\":[";
  for (size_t i = 0; i < m.flags.size(); ++i)
    o += fmt::format("{}{{\"name\":{},\"function\":{},\"message\":{},\"citations\":{}}}", i ? "," : "",
                     json_quote(m.flags[i].name), m.flags[i].function, json_quote(m.flags[i].message),
                     strings_json(m.flags[i].citations));
  o += "],\"constraints\":[";
  for (size_t i = 0; i < m.constraints.size(); ++i) {
    const auto& c = m.constraints[i];
    o += fmt::format("{}{{\"label\":{},\"function\":{},\"jurisdiction\":{},\"from\":{},\"until\":{},\"citations\":{}}}",
                     i ? "," : "", json_quote(c.label), c.function,
                     static_cast<int64_t>(c.jurisdiction), c.from, c.until,
                     strings_json(c.citations));
  }
  o += "],\"outputs\":[";
  for (size_t i = 0; i < m.outputs.size(); ++i)
    o += fmt::format("{}{{\"name\":{},\"function\":{}}}", i ? "," : "", json_quote(m.outputs[i].name),
                     m.outputs[i].function);
  o += "]}";
  return o;
}

std::string locations_text(const ir::Module& m) {
  std::string o = "[";
  for (size_t i = 0; i < m.locations.size(); ++i) {
    const auto& l = m.locations[i];
    o += fmt::format("{}[{},{},{},{}]", i ? "," : "", json_quote(l.file), l.line, l.column, json_quote(l.text));
  }
  return o + "]";
}

// Locations stay outside the digest, so moving or reformatting the rules
// (English keywords, another layout) keeps it. Explanations print their
// source text (formulas, conditions) but every value from the evaluation.
std::string module_digest(const ir::Module& m) { return sha256_hex(canonical_module_text(m)); }

std::string write_bundle(const ir::Module& m, const std::vector<BundleSignature>& signatures) {
  std::string signed_by;
  for (const auto& s : signatures)
    signed_by += fmt::format("{}{{\"key\":{},\"signature\":{}}}", signed_by.empty() ? "" : ",", json_quote(s.key_id),
                             json_quote(s.signature));
  return fmt::format("{{\"format\":{},\"digest\":{},\"module\":{},\"locations\":{}{}}}\n", json_quote(kBundleFormat),
                     json_quote(module_digest(m)), canonical_module_text(m), locations_text(m),
                     signatures.empty() ? "" : ",\"signatures\":[" + signed_by + "]");
}

bool looks_like_bundle(std::string_view text) {
  return text.find("\"format\":\"doudi-bundle/") != std::string_view::npos && text.substr(0, 1) == "{";
}

}  // namespace doudi
