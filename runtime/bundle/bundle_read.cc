// Reading a bundle back. A bundle is input like any other file: every value
// is checked for its JSON type and range as it is read (an error names where
// it is: module.functions[3].code[7][1]), the type table before any value is
// read by its type, and the whole module by the IR verifier before the
// interpreter may run it.
#include <fmt/format.h>
#include <array>
#include <cstring>
#include <type_traits>
#include <simdjson.h>

#include "runtime/bundle/bundle.h"
#include "runtime/diag/diagnostic.h"
#include "runtime/digest/digest.h"
#include "runtime/ir/verify.h"

namespace doudi {
namespace {

namespace dom = simdjson::dom;

// Unwinds the reader to read_bundle with the message.
struct Malformed {
  std::string message;
};

// The same JSON value: an element is a (document, tape position) pair, so
// its bytes name it.
bool same_element(const dom::element& a, const dom::element& b) {
  static_assert(std::is_trivially_copyable_v<dom::element>);
  return std::memcmp(&a, &b, sizeof a) == 0;
}

// The way from `from` (at `path`) to `target`, as module.functions[3].code[7].
bool path_to(dom::element from, const dom::element& target, const std::string& path, std::string& out) {
  if (same_element(from, target)) {
    out = path;
    return true;
  }
  if (dom::object o; from.get_object().get(o) == simdjson::SUCCESS) {
    for (auto field : o)
      if (path_to(field.value, target, path.empty() ? std::string(field.key) : path + "." + std::string(field.key), out))
        return true;
  } else if (dom::array a; from.get_array().get(a) == simdjson::SUCCESS) {
    size_t i = 0;
    for (dom::element e : a)
      if (path_to(e, target, fmt::format("{}[{}]", path, i++), out)) return true;
  }
  return false;
}

// A JSON value of the bundle. The way to it from the top, for messages, is
// found only when a message needs it: building it for every value read was
// a third of loading a bundle.
class At {
 public:
  At() = default;  // filled before use (tuple)
  At(dom::element e, const dom::element* root) : e_(e), root_(root) {}

  At operator[](const char* key) const {
    dom::element e;
    if (e_.type() != dom::element_type::OBJECT) fail("expected an object");
    if (e_.get_object().at_key(key).get(e) != simdjson::SUCCESS) fail(fmt::format("missing `{}`", key), false);
    return At(e, root_);
  }
  bool has(const char* key) const {
    dom::element e;
    return e_.type() == dom::element_type::OBJECT && e_.get_object().at_key(key).get(e) == simdjson::SUCCESS;
  }
  // An array's items, walked in place (a vector of them per array was
  // ~3,000 allocations for a module).
  class Items {
   public:
    class iterator {
     public:
      iterator(dom::array::iterator it, const dom::element* root) : it_(it), root_(root) {}
      At operator*() const { return At(*it_, root_); }
      iterator& operator++() {
        ++it_;
        return *this;
      }
      bool operator!=(const iterator& other) const { return it_ != other.it_; }

     private:
      dom::array::iterator it_;
      const dom::element* root_;
    };
    Items() = default;  // none
    Items(dom::array a, const dom::element* root) : a_(a), root_(root), any_(true) {}
    iterator begin() const { return any_ ? iterator(a_.begin(), root_) : iterator({}, root_); }
    iterator end() const { return any_ ? iterator(a_.end(), root_) : iterator({}, root_); }
    size_t size() const { return any_ ? a_.size() : 0; }

   private:
    dom::array a_;
    const dom::element* root_ = nullptr;
    bool any_ = false;
  };
  Items items() const {
    dom::array a;
    if (e_.get_array().get(a) != simdjson::SUCCESS) fail("expected an array");
    return Items(a, root_);
  }
  // An array of exactly N items.
  template <size_t N>
  std::array<At, N> tuple() const {
    const Items xs = items();
    if (xs.size() != N) fail(fmt::format("expected an array of {} items", N));
    std::array<At, N> out;
    size_t i = 0;
    for (const At x : xs) out[i++] = x;
    return out;
  }

  int64_t integer(int64_t lo = INT64_MIN, int64_t hi = INT64_MAX) const {
    int64_t v;
    if (e_.get_int64().get(v) != simdjson::SUCCESS || v < lo || v > hi)
      fail(lo == INT64_MIN && hi == INT64_MAX ? "expected a 64-bit integer"
                                              : fmt::format("expected an integer from {} to {}", lo, hi));
    return v;
  }
  uint32_t u32() const { return static_cast<uint32_t>(integer(0, UINT32_MAX)); }
  // "None" is UINT32_MAX: bundle_write.cc means to write -1, but its
  // `x == UINT32_MAX ? -1 : x` is unsigned, and digests depend on that text.
  uint32_t index_or_none() const { return u32(); }
  template <typename Enum>
  Enum enumerator(Enum last) const {
    return static_cast<Enum>(integer(0, static_cast<int64_t>(last)));
  }
  std::string str() const {
    std::string_view s;
    if (e_.get_string().get(s) != simdjson::SUCCESS) fail("expected a string");
    return std::string(s);
  }
  bool boolean() const {
    bool b;
    if (e_.get_bool().get(b) != simdjson::SUCCESS) fail("expected true or false");
    return b;
  }
  std::vector<std::string> strs() const {
    std::vector<std::string> out;
    for (const At& x : items()) out.push_back(x.str());
    return out;
  }
  bool is_null() const { return e_.is_null(); }
  bool is(std::string_view s) const { return e_.is_string() && e_.get_string().value_unsafe() == s; }

  [[noreturn]] void fail(const std::string& what, bool show_value = true) const {
    std::string path;
    path_to(*root_, e_, "", path);
    std::string message = fmt::format("malformed bundle at {}: {}", path.empty() ? "the top level" : path, what);
    if (show_value) {
      std::string shown = simdjson::minify(e_);
      if (shown.size() > 40) {
        size_t cut = 40;
        while (cut > 0 && (static_cast<unsigned char>(shown[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
        shown = shown.substr(0, cut) + "…";
      }
      message += " (found " + shown + ")";
    }
    // The detail names the bundle's own JSON, which has no Chinese words.
    throw Malformed{bilingual("规则包格式错误：" + message, message)};
  }

 private:
  dom::element e_;
  const dom::element* root_ = nullptr;
};

struct Reader {
  ir::Module& m;

  TypeId type(const At& x) const {
    const uint32_t t = x.u32();
    if (t >= m.types.size()) x.fail(fmt::format("type #{} out of range (the module has {})", t, m.types.size()));
    return t;
  }

  // The type table is verified by now, so Optional layers end.
  Value value(const At& x, TypeId t) {
    const Type& ty = m.types.get(t);
    if (ty.kind == TypeKind::Optional) return x.is_null() ? Value::absent() : value(x, ty.elem);
    if (ty.kind == TypeKind::Text) {
      m.strings.push_back(x.str());
      return Value::of_text(&m.strings.back());
    }
    const auto ab = x.tuple<2>();
    return Value{ab[0].integer(), ab[1].integer()};
  }

  void types(const At& xs) {
    std::vector<Type> types;
    for (const At& t : xs.items()) {
      const auto a = t.tuple<4>();
      types.push_back(Type{a[0].enumerator(TypeKind::Set), a[1].enumerator(Period::Year), a[2].u32(), a[3].u32()});
    }
    m.types.assign(std::move(types));
    if (auto problems = ir::verify_types(m); !problems.empty())
      throw Malformed{invalid_ir(problems.front().message)};
  }

  void schema(const At& mod) {
    for (const At& e : mod["enums"].items()) m.enums.push_back(ir::Enum{e["name"].str(), e["values"].strs()});
    for (const At& s : mod["structs"].items()) {
      ir::Struct st{s["name"].str(), {}};
      for (const At& f : s["fields"].items()) {
        ir::Field fd{f["name"].str(), type(f["type"]), f["sensitive"].boolean(), f["required"].boolean(), std::nullopt,
                     false};
        // Written only when set, so bundles from before 可为负 keep their digest.
        if (f.has("signed")) fd.signed_ = f["signed"].boolean();
        const At d = f["default"];
        if (!d.is("none")) fd.default_value = value(d, fd.type);
        st.fields.push_back(std::move(fd));
      }
      m.structs.push_back(std::move(st));
    }
    m.input_name = mod["input"]["name"].str();
    m.input_type = type(mod["input"]["type"]);
  }

  void read(const At& mod) {
    m.name = mod["name"].str();
    types(mod["types"]);
    schema(mod);
    for (const At& j : mod["jurisdictions"].items())
      m.jurisdictions.push_back({j["name"].str(), j["parent"].index_or_none()});
    for (const At& p : mod["params"].items()) {
      ir::Param prm{p["name"].str(), type(p["type"]), {}};
      for (const At& v : p["values"].items())
        prm.values.push_back(ir::ParamValue{v["jurisdiction"].index_or_none(), v["from"].integer(),
                                            v["until"].integer(), value(v["value"], prm.type),
                                            v["citations"].strs(), v["provisions"].strs(), v["loc"].u32()});
      m.params.push_back(std::move(prm));
    }
    for (const At& c : mod["constants"].items()) {
      const auto a = c.tuple<2>();
      const TypeId t = type(a[0]);
      m.constant_types.push_back(t);
      m.constants.push_back(value(a[1], t));
    }
    // Each vector reserved at its length: growing by doubling touched twice
    // the memory, and each fresh page costs `run` from a bundle a page fault.
    const auto functions = mod["functions"].items();
    m.functions.reserve(functions.size());
    for (const At& f : functions) m.functions.push_back(function(f));
    for (const At& f : mod["flags"].items())
      m.flags.push_back(ir::Flag{f["name"].str(), f["function"].u32(), f["message"].str(), f["citations"].strs()});
    for (const At& c : mod["constraints"].items())
      m.constraints.push_back(ir::Constraint{c["label"].str(), c["function"].u32(), c["jurisdiction"].index_or_none(),
                                             c["from"].integer(), c["until"].integer(), c["citations"].strs()});
    for (const At& o : mod["outputs"].items()) m.outputs.push_back(ir::Output{o["name"].str(), o["function"].u32()});
  }

  ir::Function function(const At& f) {
    ir::Function fn;
    fn.name = f["name"].str();
    fn.kind = f["kind"].enumerator(ir::FunctionKind::Constraint);
    fn.owner = f["owner"].index_or_none();
    fn.label = f["label"].str();
    fn.num_params = f["params"].u32();
    fn.result = type(f["result"]);
    fn.loc = f["loc"].u32();
    fn.citations = f["citations"].strs();
    fn.notes = f["notes"].strs();
    fn.provisions = f["provisions"].strs();
    const auto regs = f["regs"].items(), code = f["code"].items();
    fn.regs.reserve(regs.size());
    for (const At& r : regs) fn.regs.push_back(type(r));
    fn.code.reserve(code.size());
    for (const At& c : code) {
      const auto a = c.tuple<7>();
      const auto op = static_cast<ir::Op>(a[0].integer(0, ir::kNumOps - 1));
      fn.code.push_back(ir::Inst{op, a[1].u32(), a[2].u32(), a[3].u32(), a[4].u32(), a[5].u32(), a[6].u32()});
    }
    const auto tree = f.has("tree") ? f["tree"].items() : At::Items{};
    fn.tree.reserve(tree.size());
    for (const At& t : tree) {
      const auto a = t.tuple<7>();
      ir::ExprNode n;
      n.shape = static_cast<ir::Shape>(a[0].integer(0, ir::kLastShape));
      n.op = static_cast<uint8_t>(a[1].integer(0, 255));
      n.round = static_cast<uint8_t>(a[2].integer(0, 255));
      n.reg = a[3].u32();
      n.loc = a[4].u32();
      n.ref = a[5].u32();
      for (const At& k : a[6].items()) n.kids.push_back(k.u32());
      fn.tree.push_back(std::move(n));
    }
    return fn;
  }

  void locations(const At& ls) {
    const auto items = ls.items();
    m.locations.reserve(items.size() + 1);  // and the empty one a module without any gets
    for (const At& l : items) {
      const auto a = l.tuple<4>();
      m.locations.push_back(ir::Location{a[0].str(), a[1].u32(), a[2].u32(), a[3].str(), ""});
    }
  }
};

}  // namespace

std::string invalid_ir(const std::string& detail) {
  return bilingual("无效的中间表示（IR）：" + detail, "invalid IR: " + detail);
}

std::optional<ir::Module> parse_bundle(std::string_view text, std::string& digest, std::string& error,
                                       std::vector<BundleSignature>* signatures) {
  ir::Module m;
  dom::parser parser;
  const simdjson::padded_string padded(text);
  dom::element root;
  if (auto e = parser.parse(padded).get(root); e != simdjson::SUCCESS) {
    error = bilingual(std::string("不是有效的 JSON：") + simdjson::error_message(e),
                      std::string("not valid JSON: ") + simdjson::error_message(e));
    return std::nullopt;
  }
  try {
    const At top(root, &root);
    if (!top.has("format") || !top["format"].is(kBundleFormat)) {
      error = bilingual("不是 " + std::string(kBundleFormat) + " 文件", "not a " + std::string(kBundleFormat) + " file");
      return std::nullopt;
    }
    digest = top["digest"].str();
    Reader r{m};
    r.read(top["module"]);
    r.locations(top["locations"]);
    if (top.has("signatures")) {
      // Read whatever is there; only a trusted key's valid signature counts.
      for (const At& s : top["signatures"].items()) {
        BundleSignature sig{s["key"].str(), s["signature"].str()};
        if (signatures) signatures->push_back(std::move(sig));
      }
    }
  } catch (const Malformed& e) {
    error = e.message;
    return std::nullopt;
  }
  if (m.locations.empty()) m.locations.push_back(ir::Location{});
  return m;
}

std::optional<ir::Module> read_bundle(std::string_view text, std::string& digest, std::string& error,
                                      std::vector<BundleSignature>* signatures) {
  auto parsed = parse_bundle(text, digest, error, signatures);
  if (!parsed) return std::nullopt;
  ir::Module& m = *parsed;
  if (module_digest(m) != digest) {
    error = bilingual("规则包的内容与其摘要不符（被改动过？）", "the bundle's content does not match its digest (altered?)");
    return std::nullopt;
  }
  // The interpreter trusts every index and type in the module.
  if (const auto problems = ir::verify_module(m); !problems.empty()) {
    std::string detail = ir::describe_problem(m, problems.front());
    if (problems.size() > 1)
      detail += fmt::format(" (and {}{} more problem{})", problems.size() - 1,
                            problems.size() >= ir::kMaxProblems ? "+" : "", problems.size() > 2 ? "s" : "");
    error = invalid_ir(detail);
    return std::nullopt;
  }
  return parsed;
}

}  // namespace doudi
