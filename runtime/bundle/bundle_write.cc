#include <fmt/format.h>

#include <initializer_list>

#include "runtime/bundle/bundle.h"
#include "runtime/bundle/json_text.h"
#include "runtime/digest/digest.h"
#include "runtime/value/decimal_digits.h"

namespace doudi {
// "None" (no parent, owner or jurisdiction) is written as 4294967295, its
// UINT32_MAX value: every bundle so far has been, and digests are over this text.
namespace {

// The canonical text, written in pieces: whole into a string for a bundle
// file, or through SHA-256 a piece at a time for the digest. A module's
// text is ~66 KB (Huining's); held whole only to be hashed, it cost `run`
// from a bundle ~50 page faults, and formatting it into a temporary string
// per item as many allocations as it has instructions.
class CanonicalText {
 public:
  CanonicalText(const ir::Module& m, Sha256Stream* hash) : m_(m), hash_(hash) { o_.reserve(kPiece + 4096); }

  std::string& text() { return o_; }

  void write() {
    o_ += "{\"language\":";
    quoted(kLanguageVersion);
    o_ += ",\"name\":";
    quoted(m_.name);
    o_ += ",\"types\":[";
    for (TypeId t = 0; t < m_.types.size(); ++t) {
      const Type& ty = m_.types.get(t);
      if (t) o_ += ",";
      list({static_cast<int>(ty.kind), static_cast<int>(ty.period), ty.ref, ty.elem});
    }
    o_ += "],\"enums\":[";
    for (size_t i = 0; i < m_.enums.size(); ++i) {
      object_named(i == 0, "name", m_.enums[i].name);
      o_ += ",\"values\":";
      strings(m_.enums[i].values);
      o_ += "}";
    }
    o_ += "],\"structs\":[";
    for (size_t i = 0; i < m_.structs.size(); ++i) {
      const auto& s = m_.structs[i];
      object_named(i == 0, "name", s.name);
      o_ += ",\"fields\":[";
      for (size_t f = 0; f < s.fields.size(); ++f) {
        const auto& fd = s.fields[f];
        object_named(f == 0, "name", fd.name);
        put(",\"type\":{},\"sensitive\":{},\"required\":{},\"default\":", fd.type, fd.sensitive, fd.required);
        if (fd.default_value)
          value(*fd.default_value, fd.type);
        else
          o_ += "\"none\"";
        // Only when set: the digests of bundles without 可为负 stay as they were.
        o_ += fd.signed_ ? ",\"signed\":true}" : "}";
      }
      o_ += "]}";
    }
    o_ += "],\"input\":{\"name\":";
    quoted(m_.input_name);
    put(",\"type\":{}}}", m_.input_type);
    o_ += ",\"jurisdictions\":[";
    for (size_t i = 0; i < m_.jurisdictions.size(); ++i) {
      object_named(i == 0, "name", m_.jurisdictions[i].name);
      put(",\"parent\":{}}}", static_cast<int64_t>(m_.jurisdictions[i].parent));
    }
    o_ += "],\"params\":[";
    for (size_t i = 0; i < m_.params.size(); ++i) {
      const auto& p = m_.params[i];
      object_named(i == 0, "name", p.name);
      put(",\"type\":{},\"values\":[", p.type);
      for (size_t k = 0; k < p.values.size(); ++k) {
        const auto& v = p.values[k];
        put("{}{{\"jurisdiction\":{},\"from\":{},\"until\":{},\"value\":", k ? "," : "",
            static_cast<int64_t>(v.jurisdiction), v.from, v.until);
        value(v.value, p.type);
        o_ += ",\"citations\":";
        strings(v.citations);
        o_ += ",\"provisions\":";
        strings(v.provisions);
        put(",\"loc\":{}}}", v.loc);
      }
      o_ += "]}";
      piece_done();
    }
    o_ += "],\"constants\":[";
    for (size_t i = 0; i < m_.constants.size(); ++i) {
      put("{}[{},", i ? "," : "", m_.constant_types[i]);
      value(m_.constants[i], m_.constant_types[i]);
      o_ += "]";
    }
    o_ += "],\"functions\":[";
    for (size_t i = 0; i < m_.functions.size(); ++i) {
      function(m_.functions[i], i == 0);
      piece_done();
    }
    o_ += "],\"flags\":[";
    for (size_t i = 0; i < m_.flags.size(); ++i) {
      const auto& f = m_.flags[i];
      object_named(i == 0, "name", f.name);
      put(",\"function\":{},\"message\":", f.function);
      quoted(f.message);
      o_ += ",\"citations\":";
      strings(f.citations);
      o_ += "}";
    }
    o_ += "],\"constraints\":[";
    for (size_t i = 0; i < m_.constraints.size(); ++i) {
      const auto& c = m_.constraints[i];
      object_named(i == 0, "label", c.label);
      put(",\"function\":{},\"jurisdiction\":{},\"from\":{},\"until\":{},\"citations\":", c.function,
          static_cast<int64_t>(c.jurisdiction), c.from, c.until);
      strings(c.citations);
      o_ += "}";
    }
    o_ += "],\"outputs\":[";
    for (size_t i = 0; i < m_.outputs.size(); ++i) {
      object_named(i == 0, "name", m_.outputs[i].name);
      put(",\"function\":{}}}", m_.outputs[i].function);
    }
    o_ += "]}";
    if (hash_) hash_->update(o_);
  }

 private:
  // Hashed and dropped once this long (when hashing).
  static constexpr size_t kPiece = 32 * 1024;

  template <typename... Args>
  void put(fmt::format_string<Args...> format, Args&&... args) {
    fmt::format_to(std::back_inserter(o_), format, std::forward<Args>(args)...);
  }
  void quoted(std::string_view s) { append_json_quoted(o_, s); }
  // `{"key":"text"` opening an array's item (after a comma unless first).
  void object_named(bool first, const char* key, std::string_view text) {
    o_ += first ? "{\"" : ",{\"";
    o_ += key;
    o_ += "\":";
    quoted(text);
  }
  // Numbers without fmt's format strings: the code and trees are ~12,000 of
  // them in a module, and formatting each through fmt was 4/5 of the digest.
  void num(int64_t x) { append_decimal(o_, x); }
  void list(std::initializer_list<int64_t> xs) {
    o_ += "[";
    bool first = true;
    for (const int64_t x : xs) {
      if (!first) o_ += ",";
      first = false;
      num(x);
    }
    o_ += "]";
  }
  void strings(const std::vector<std::string>& xs) {
    o_ += "[";
    for (size_t i = 0; i < xs.size(); ++i) {
      if (i) o_ += ",";
      quoted(xs[i]);
    }
    o_ += "]";
  }
  // Values are written by type so text values (pointers) become strings.
  void value(Value v, TypeId t) {
    const Type& ty = m_.types.get(t);
    if (ty.kind == TypeKind::Optional) {
      if (v.is_absent()) {
        o_ += "null";
        return;
      }
      return value(v, ty.elem);
    }
    if (ty.kind == TypeKind::Text) return quoted(v.text());
    list({v.a, v.b});
  }

  void function(const ir::Function& f, bool first) {
    object_named(first, "name", f.name);
    put(",\"kind\":{},\"owner\":{},\"label\":", static_cast<int>(f.kind), static_cast<int64_t>(f.owner));
    quoted(f.label);
    put(",\"params\":{},\"result\":{},\"loc\":{},\"citations\":", f.num_params, f.result, f.loc);
    strings(f.citations);
    o_ += ",\"notes\":";
    strings(f.notes);
    o_ += ",\"provisions\":";
    strings(f.provisions);
    o_ += ",\"regs\":[";
    for (size_t r = 0; r < f.regs.size(); ++r) {
      if (r) o_ += ",";
      num(f.regs[r]);
    }
    o_ += "],\"code\":[";
    for (size_t k = 0; k < f.code.size(); ++k) {
      const auto& in = f.code[k];
      if (k) o_ += ",";
      list({static_cast<int>(in.op), in.dst, in.a, in.b, in.c, in.d, in.loc});
    }
    o_ += "]";
    // Written only when present, so bundles made before explanations read
    // the tree keep their digests.
    if (!f.tree.empty()) {
      o_ += ",\"tree\":[";
      for (size_t k = 0; k < f.tree.size(); ++k) {
        const auto& n = f.tree[k];
        o_ += k ? ",[" : "[";
        for (const int64_t x : {int64_t{static_cast<int>(n.shape)}, int64_t{n.op}, int64_t{n.round}, int64_t{n.reg},
                                int64_t{n.loc}, int64_t{n.ref}}) {
          num(x);
          o_ += ",";
        }
        o_ += "[";
        for (size_t c = 0; c < n.kids.size(); ++c) {
          if (c) o_ += ",";
          num(n.kids[c]);
        }
        o_ += "]]";
      }
      o_ += "]";
    }
    o_ += "}";
  }

  void piece_done() {
    if (hash_ && o_.size() >= kPiece) {
      hash_->update(o_);
      o_.clear();
    }
  }

  const ir::Module& m_;
  Sha256Stream* hash_;
  std::string o_;
};

}  // namespace

std::string canonical_module_text(const ir::Module& m) {
  CanonicalText text(m, nullptr);
  text.write();
  return std::move(text.text());
}

std::string locations_text(const ir::Module& m) {
  std::string o = "[";
  for (size_t i = 0; i < m.locations.size(); ++i) {
    const auto& l = m.locations[i];
    fmt::format_to(std::back_inserter(o), "{}[{},{},{},{}]", i ? "," : "", json_quote(l.file), l.line, l.column,
                   json_quote(l.text));
  }
  return o + "]";
}

// Locations stay outside the digest, so moving or reformatting the rules
// (English keywords, another layout) keeps it. Explanations print their
// source text (formulas, conditions) but every value from the evaluation.
std::string module_digest(const ir::Module& m) {
  Sha256Stream hash;
  CanonicalText text(m, &hash);
  text.write();
  return hash.hex();
}

std::string write_bundle(const ir::Module& m, const std::vector<BundleSignature>& signatures) {
  std::string signed_by;
  for (const auto& s : signatures)
    signed_by += fmt::format("{}{{\"key\":{},\"signature\":{}}}", signed_by.empty() ? "" : ",", json_quote(s.key_id),
                             json_quote(s.signature));
  const std::string module = canonical_module_text(m);
  return fmt::format("{{\"format\":{},\"digest\":{},\"module\":{},\"locations\":{}{}}}\n", json_quote(kBundleFormat),
                     json_quote(sha256_hex(module)), module, locations_text(m),
                     signatures.empty() ? "" : ",\"signatures\":[" + signed_by + "]");
}

bool is_bundle(std::string_view path, std::string_view text) {
  return path.ends_with(".bundle") ||
         (text.starts_with('{') && text.find("\"format\":\"doudi-bundle/") != std::string_view::npos);
}

}  // namespace doudi
