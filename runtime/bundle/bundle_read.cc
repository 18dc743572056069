#include <simdjson.h>

#include "runtime/bundle/bundle.h"
#include "runtime/digest/digest.h"

namespace doudi {
namespace {

namespace dom = simdjson::dom;

struct Reader {
  ir::Module& m;
  std::string& error;

  bool fail(const std::string& what) {
    if (error.empty()) error = what;
    return false;
  }
  static int64_t i64(dom::element e) { return e.get_int64().value(); }
  static uint32_t u32(dom::element e) {
    const int64_t v = e.get_int64().value();
    return v < 0 ? UINT32_MAX : static_cast<uint32_t>(v);
  }
  static std::string str(dom::element e) { return std::string(e.get_string().value()); }
  static bool boolean(dom::element e) { return e.get_bool().value(); }
  static std::vector<std::string> strs(dom::element e) {
    std::vector<std::string> out;
    for (auto x : e.get_array()) out.push_back(std::string(x.get_string().value()));
    return out;
  }

  Value value(dom::element e, TypeId t) {
    const Type& ty = m.types.get(t);
    if (ty.kind == TypeKind::Optional) {
      if (e.is_null()) return Value::absent();
      return value(e, ty.elem);
    }
    if (ty.kind == TypeKind::Text) {
      m.strings.push_back(str(e));
      return Value::of_text(&m.strings.back());
    }
    auto arr = e.get_array().value();
    return Value{arr.at(0).get_int64().value(), arr.at(1).get_int64().value()};
  }

  bool read(dom::element mod) {
    m.name = str(mod["name"]);
    std::vector<Type> types;
    for (auto t : mod["types"].get_array()) {
      auto a = t.get_array().value();
      types.push_back(Type{static_cast<TypeKind>(i64(a.at(0))), static_cast<Period>(i64(a.at(1))),
                           static_cast<uint32_t>(i64(a.at(2))), static_cast<TypeId>(i64(a.at(3)))});
    }
    m.types.assign(std::move(types));
    for (auto e : mod["enums"].get_array()) m.enums.push_back(ir::Enum{str(e["name"]), strs(e["values"])});
    for (auto s : mod["structs"].get_array()) {
      ir::Struct st{str(s["name"]), {}};
      for (auto f : s["fields"].get_array()) {
        ir::Field fd{str(f["name"]), static_cast<TypeId>(i64(f["type"])), boolean(f["sensitive"]),
                     boolean(f["required"]), std::nullopt, false};
        // Written only when set, so bundles from before 可为负 keep their digest.
        if (bool is_signed = false; f["signed"].get(is_signed) == simdjson::SUCCESS) fd.signed_ = is_signed;
        dom::element d = f["default"];
        if (!(d.is_string() && d.get_string().value() == "none")) fd.default_value = value(d, fd.type);
        st.fields.push_back(std::move(fd));
      }
      m.structs.push_back(std::move(st));
    }
    m.input_name = str(mod["input"]["name"]);
    m.input_type = static_cast<TypeId>(i64(mod["input"]["type"]));
    for (auto j : mod["jurisdictions"].get_array()) m.jurisdictions.push_back({str(j["name"]), u32(j["parent"])});
    for (auto p : mod["params"].get_array()) {
      ir::Param prm{str(p["name"]), static_cast<TypeId>(i64(p["type"])), {}};
      for (auto v : p["values"].get_array())
        prm.values.push_back(ir::ParamValue{u32(v["jurisdiction"]), i64(v["from"]), i64(v["until"]),
                                            value(v["value"], prm.type), strs(v["citations"]),
                                            strs(v["provisions"]), static_cast<uint32_t>(i64(v["loc"]))});
      m.params.push_back(std::move(prm));
    }
    for (auto c : mod["constants"].get_array()) {
      auto a = c.get_array().value();
      const TypeId t = static_cast<TypeId>(i64(a.at(0)));
      m.constant_types.push_back(t);
      m.constants.push_back(value(a.at(1), t));
    }
    for (auto f : mod["functions"].get_array()) {
      ir::Function fn;
      fn.name = str(f["name"]);
      fn.kind = static_cast<ir::FunctionKind>(i64(f["kind"]));
      fn.owner = u32(f["owner"]);
      fn.label = str(f["label"]);
      fn.num_params = static_cast<uint32_t>(i64(f["params"]));
      fn.result = static_cast<TypeId>(i64(f["result"]));
      fn.loc = static_cast<uint32_t>(i64(f["loc"]));
      fn.citations = strs(f["citations"]);
      fn.notes = strs(f["notes"]);
      fn.provisions = strs(f["provisions"]);
      for (auto r : f["regs"].get_array()) fn.regs.push_back(static_cast<TypeId>(i64(r)));
      for (auto c : f["code"].get_array()) {
        auto a = c.get_array().value();
        fn.code.push_back(ir::Inst{static_cast<ir::Op>(i64(a.at(0))), static_cast<uint32_t>(i64(a.at(1))),
                                   static_cast<uint32_t>(i64(a.at(2))), static_cast<uint32_t>(i64(a.at(3))),
                                   static_cast<uint32_t>(i64(a.at(4))), static_cast<uint32_t>(i64(a.at(5))),
                                   static_cast<uint32_t>(i64(a.at(6)))});
      }
      m.functions.push_back(std::move(fn));
    }
    for (auto f : mod["flags"].get_array())
      m.flags.push_back(ir::Flag{str(f["name"]), static_cast<uint32_t>(i64(f["function"])), str(f["message"]),
                                 strs(f["citations"])});
    for (auto c : mod["constraints"].get_array())
      m.constraints.push_back(ir::Constraint{str(c["label"]), static_cast<uint32_t>(i64(c["function"])),
                                             u32(c["jurisdiction"]), i64(c["from"]), i64(c["until"]),
                                             strs(c["citations"])});
    for (auto o : mod["outputs"].get_array())
      m.outputs.push_back(ir::Output{str(o["name"]), static_cast<uint32_t>(i64(o["function"]))});
    return validate();
  }

  // A bundle is input too: indices must be in range before the interpreter
  // trusts them.
  bool validate() {
    const auto nf = m.functions.size();
    for (const auto& f : m.functions) {
      for (auto r : f.regs)
        if (r >= m.types.size()) return fail("register type out of range");
      if (f.result >= m.types.size() || f.num_params > f.regs.size()) return fail("function signature out of range");
      for (const auto& in : f.code) {
        if (static_cast<size_t>(in.op) > static_cast<size_t>(ir::Op::EmptyAggregate)) return fail("unknown opcode");
        if (in.dst >= f.regs.size() && in.op != ir::Op::Jump && in.op != ir::Op::Branch && in.op != ir::Op::Ret &&
            in.op != ir::Op::Gap && in.op != ir::Op::EmptyAggregate)
          return fail("register out of range");
        if (in.op == ir::Op::Call && (in.a >= nf || in.b + in.c > f.regs.size())) return fail("call out of range");
        if (in.op == ir::Op::Const && in.a >= m.constants.size()) return fail("constant out of range");
        if ((in.op == ir::Op::Jump && in.a >= f.code.size()) ||
            (in.op == ir::Op::Branch && (in.b >= f.code.size() || in.c >= f.code.size())))
          return fail("jump out of range");
        if ((in.op == ir::Op::Param || in.op == ir::Op::ParamLastYear || in.op == ir::Op::ParamAt) &&
            in.a >= m.params.size())
          return fail("parameter out of range");
      }
    }
    for (const auto& o : m.outputs)
      if (o.function >= nf) return fail("output out of range");
    for (const auto& fl : m.flags)
      if (fl.function >= nf) return fail("flag out of range");
    for (const auto& c : m.constraints)
      if (c.function >= nf) return fail("constraint out of range");
    return true;
  }
};

}  // namespace

std::optional<ir::Module> read_bundle(std::string_view text, std::string& digest, std::string& error) {
  ir::Module m;
  try {
    dom::parser parser;
    simdjson::padded_string padded(text);
    dom::element root = parser.parse(padded);
    if (root["format"].get_string().value() != std::string_view(kBundleFormat)) {
      error = "not a " + std::string(kBundleFormat) + " file";
      return std::nullopt;
    }
    digest = std::string(root["digest"].get_string().value());
    Reader r{m, error};
    if (!r.read(root["module"])) return std::nullopt;
    m.locations.clear();
    for (auto l : root["locations"].get_array()) {
      auto a = l.get_array().value();
      m.locations.push_back(ir::Location{std::string(a.at(0).get_string().value()),
                                         static_cast<uint32_t>(a.at(1).get_int64().value()),
                                         static_cast<uint32_t>(a.at(2).get_int64().value()),
                                         std::string(a.at(3).get_string().value())});
    }
  } catch (const simdjson::simdjson_error& e) {
    error = std::string("malformed bundle: ") + e.what();
    return std::nullopt;
  }
  if (m.locations.empty()) m.locations.push_back(ir::Location{});
  const std::string actual = module_digest(m);
  if (actual != digest) {
    error = "the bundle's content does not match its digest (altered?)";
    return std::nullopt;
  }
  return m;
}

}  // namespace doudi
