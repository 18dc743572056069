// The IR verifier: everything the compiler produces verifies, and a bundle
// that breaks what the interpreter assumes is refused by read_bundle with a
// message naming the function, the instruction and what is wrong. Each bad
// bundle starts from a real one (the Huining urban dibao module) with one
// thing changed and its digest recomputed, so only the checks can catch it.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <regex>

#include "compiler/driver/pipeline.h"
#include "runtime/bundle/bundle.h"
#include "runtime/digest/digest.h"
#include "runtime/ir/verify.h"

using namespace doudi;
namespace fs = std::filesystem;

namespace {

const fs::path kRoot = DOUDI_SOURCE_DIR;

const ir::Module& base() {
  static const auto comp = compile({(kRoot / "stdlib-policies/huining/urban_dibao.doudi").string()}, Stage::Lower);
  REQUIRE(comp->ok());
  return *comp->module;
}

std::string refusal_of_text(const std::string& text) {
  std::string digest, error;
  const auto m = read_bundle(text, digest, error);
  CHECK_FALSE(m.has_value());
  return error;
}

// read_bundle's refusal of the base module after `edit` (on a fresh module
// read back from the base's bundle: modules are not copied).
std::string refusal(const std::function<void(ir::Module&)>& edit) {
  std::string digest, error;
  auto fresh = read_bundle(write_bundle(base()), digest, error);
  REQUIRE(fresh.has_value());
  ir::Module m = std::move(*fresh);
  edit(m);
  return refusal_of_text(write_bundle(m));
}

// The base bundle's text edited, with the digest of the edited module.
std::string refusal_of_json(const std::function<std::string(std::string)>& edit) {
  std::string text = edit(write_bundle(base()));
  const std::string key = "\"module\":";
  const size_t begin = text.find(key) + key.size(), end = text.rfind(",\"locations\":");
  const size_t digest_at = text.find("\"digest\":\"") + 10;
  REQUIRE(end != std::string::npos);
  text.replace(digest_at, 64, sha256_hex(text.substr(begin, end - begin)));
  return refusal_of_text(text);
}

std::string replace_first(std::string s, const std::string& pattern, const std::string& with) {
  std::smatch match;
  REQUIRE(std::regex_search(s, match, std::regex(pattern)));
  return s.replace(static_cast<size_t>(match.position(0)), static_cast<size_t>(match.length(0)), with);
}

struct Place {
  uint32_t fn = UINT32_MAX, at = UINT32_MAX;
};

// The first instruction of the module for which `want` holds.
Place find(const ir::Module& m, const std::function<bool(uint32_t fn, const ir::Inst&)>& want) {
  for (uint32_t f = 0; f < m.functions.size(); ++f)
    for (uint32_t i = 0; i < m.functions[f].code.size(); ++i)
      if (want(f, m.functions[f].code[i])) return {f, i};
  FAIL("no such instruction in the base module");
  return {};
}
Place find_op(const ir::Module& m, ir::Op op) {
  return find(m, [&](uint32_t, const ir::Inst& in) { return in.op == op; });
}

// "function `f`, instruction 12": where the refusal must point.
std::string where(const ir::Module& m, Place p) {
  return fmt::format("function `{}`, instruction {}", m.functions[p.fn].name, p.at);
}

// Appends `%new = call @callee()` to `caller`, and a copy of its final `ret`
// after it (unreachable code: only the call graph changes).
void add_call(ir::Module& m, uint32_t caller, uint32_t callee) {
  auto& f = m.functions[caller];
  REQUIRE(m.functions[callee].num_params == 0);
  REQUIRE(f.code.back().op == ir::Op::Ret);
  const ir::Inst ret = f.code.back();
  f.regs.push_back(m.functions[callee].result);
  f.code.push_back(ir::Inst{ir::Op::Call, static_cast<ir::Reg>(f.regs.size() - 1), callee, 0, 0, 0, 0});
  f.code.push_back(ret);
}

#define CHECK_HAS(text, part) CHECK_MESSAGE((text).find(part) != std::string::npos, (text), " should mention: ", (part))

}  // namespace

TEST_CASE("the base bundle reads back and verifies") {
  std::string digest, error;
  const auto m = read_bundle(write_bundle(base()), digest, error);
  INFO(error);
  REQUIRE(m.has_value());
  CHECK(ir::verify_module(*m).empty());
}

TEST_CASE("indices out of range are refused, naming the function and instruction") {
  const ir::Module& m = base();

  const Place c = find_op(m, ir::Op::Const);
  const auto nregs = m.functions[c.fn].regs.size();
  std::string e = refusal([&](ir::Module& x) { x.functions[c.fn].code[c.at].dst = static_cast<uint32_t>(nregs + 7); });
  CHECK_HAS(e, where(m, c) + " (const): register %" + std::to_string(nregs + 7) + " out of range");

  e = refusal([&](ir::Module& x) { x.functions[c.fn].code[c.at].a = static_cast<uint32_t>(m.constants.size()); });
  CHECK_HAS(e, where(m, c) + " (const): constant #" + std::to_string(m.constants.size()) + " out of range");

  const Place call = find_op(m, ir::Op::Call);
  e = refusal([&](ir::Module& x) {
    x.functions[call.fn].code[call.at].a = static_cast<uint32_t>(m.functions.size() + 3);
  });
  CHECK_HAS(e, where(m, call) + " (call): function #" + std::to_string(m.functions.size() + 3) + " out of range");

  const Place param = find_op(m, ir::Op::Param);
  e = refusal([&](ir::Module& x) { x.functions[param.fn].code[param.at].a = static_cast<uint32_t>(m.params.size()); });
  CHECK_HAS(e, where(m, param) + " (param): parameter #" + std::to_string(m.params.size()) + " out of range");

  const Place field = find_op(m, ir::Op::Field);
  e = refusal([&](ir::Module& x) { x.functions[field.fn].code[field.at].b = 99; });
  CHECK_HAS(e, where(m, field) + " (field): field #99 out of range (`");

  const Place jump = find_op(m, ir::Op::Jump);
  const auto ncode = m.functions[jump.fn].code.size();
  e = refusal([&](ir::Module& x) { x.functions[jump.fn].code[jump.at].a = static_cast<uint32_t>(ncode); });
  CHECK_HAS(e, where(m, jump) + " (jump): jump target " + std::to_string(ncode) + " out of range");

  const Place branch = find_op(m, ir::Op::Branch);
  e = refusal([&](ir::Module& x) { x.functions[branch.fn].code[branch.at].c = 1u << 30; });
  CHECK_HAS(e, where(m, branch) + " (branch): jump target 1073741824 out of range");

  e = refusal([&](ir::Module& x) { x.outputs[0].function = static_cast<uint32_t>(m.functions.size()); });
  CHECK_HAS(e, fmt::format("output `{}` refers to function #{}", m.outputs[0].name, m.functions.size()));
}

TEST_CASE("registers hold what their types say, so text and records are read through real addresses") {
  const ir::Module& m = base();
  auto type_of = [&](Place p, uint32_t reg) { return m.type_name(m.functions[p.fn].regs[reg], false); };
  uint32_t ratio = 0;
  while (ratio < m.constants.size() && m.constant_types[ratio] != TypeTable::kRatio) ++ratio;
  REQUIRE(ratio < m.constants.size());

  const Place money = find(m, [&](uint32_t f, const ir::Inst& in) {
    return in.op == ir::Op::Const && m.types.kind(m.functions[f].regs[in.dst]) == TypeKind::Money;
  });
  const uint32_t dst = m.functions[money.fn].code[money.at].dst;
  std::string e = refusal([&](ir::Module& x) { x.functions[money.fn].code[money.at].a = ratio; });
  CHECK_HAS(e, fmt::format("{} (const): register %{} (`{}`) cannot hold `ratio`", where(m, money), dst,
                           type_of(money, dst)));

  const Place eq = find(m, [&](uint32_t f, const ir::Inst& in) {
    return in.op == ir::Op::Eq && m.types.kind(m.functions[f].regs[in.a]) != TypeKind::Text;
  });
  const uint32_t a = m.functions[eq.fn].code[eq.at].a;
  e = refusal([&](ir::Module& x) { x.functions[eq.fn].code[eq.at].op = ir::Op::EqText; });
  CHECK_HAS(e, fmt::format("{} (eq.text): register %{} (`{}`) is read as text", where(m, eq), a, type_of(eq, a)));

  const Place len = find_op(m, ir::Op::ListLen);
  const uint32_t n = m.functions[len.fn].code[len.at].dst;
  e = refusal([&](ir::Module& x) { x.functions[len.fn].code[len.at].a = n; });
  CHECK_HAS(e, fmt::format("{} (list.len): register %{} (`int`) is read as a list (not optional)", where(m, len), n));
}

TEST_CASE("calls must match the callee, and the call graph must be acyclic") {
  const ir::Module& m = base();

  const Place call = find(m, [](uint32_t, const ir::Inst& in) { return in.op == ir::Op::Call && in.c > 0; });
  const ir::Inst& in = m.functions[call.fn].code[call.at];
  std::string e = refusal([&](ir::Module& x) { x.functions[call.fn].code[call.at].c = in.c - 1; });
  CHECK_HAS(e, fmt::format("{} (call): `{}` takes {} arguments, given {}", where(m, call), m.functions[in.a].name, in.c,
                           in.c - 1));

  // A rule calls its default with its own parameters and result: calling
  // itself instead is well typed, and a cycle.
  const Place to_default = find(m, [&](uint32_t f, const ir::Inst& i) {
    return i.op == ir::Op::Call && m.functions[i.a].kind == ir::FunctionKind::Default && m.functions[i.a].owner == f;
  });
  e = refusal([&](ir::Module& x) { x.functions[to_default.fn].code[to_default.at].a = to_default.fn; });
  const std::string rule = m.functions[to_default.fn].name;
  CHECK_HAS(e, fmt::format("{} (call): call cycle: `{}` → `{}`", where(m, to_default), rule, rule));

  const uint32_t a = m.outputs[0].function, b = m.outputs[1].function;
  e = refusal([&](ir::Module& x) {
    add_call(x, a, b);
    add_call(x, b, a);
  });
  CHECK_HAS(e, "call cycle: ");
  CHECK_HAS(e, fmt::format("`{}` → `{}`", m.functions[a].name, m.functions[b].name));
  CHECK_HAS(e, fmt::format("`{}` → `{}`", m.functions[b].name, m.functions[a].name));
}

TEST_CASE("constants must be well formed for their types") {
  const ir::Module& m = base();
  uint32_t ratio = 0;
  while (ratio < m.constants.size() && m.constant_types[ratio] != TypeTable::kRatio) ++ratio;
  REQUIRE(ratio < m.constants.size());
  std::string e = refusal([&](ir::Module& x) { x.constants[ratio] = Value{3, 0}; });
  CHECK_HAS(e, fmt::format("constant #{}: the ratio 3/0 has a denominator that is not positive", ratio));
  e = refusal([&](ir::Module& x) { x.constants[ratio] = Value{6, 4}; });
  CHECK_HAS(e, fmt::format("constant #{}: the ratio 6/4 is not in lowest terms", ratio));

  // An absent value is {0, kAbsent}: an absent text moved into a text
  // register is read as the empty text, never through a crafted address.
  size_t owner = 0, at = 0;
  auto optional_field = [&] {
    for (owner = 0; owner < m.structs.size(); ++owner)
      for (at = 0; at < m.structs[owner].fields.size(); ++at)
        if (m.types.kind(m.structs[owner].fields[at].type) == TypeKind::Optional) return true;
    return false;
  };
  REQUIRE(optional_field());
  const std::string field = m.structs[owner].name + "." + m.structs[owner].fields[at].name;
  // A bundle writes an absent value as null; a crafted one can give [a, b].
  std::string digest, error;
  auto crafted = read_bundle(write_bundle(base()), digest, error);
  REQUIRE(crafted.has_value());
  auto problems_with_default = [&](Value v) {
    crafted->structs[owner].fields[at].default_value = v;
    std::string all;
    for (const ir::Problem& p : ir::verify_module(*crafted)) all += p.message + "\n";
    return all;
  };
  CHECK_HAS(problems_with_default(Value{int64_t{1} << 40, kAbsent}),
            fmt::format("the default of field `{}`: an absent value must have 0 as its first word, not {}", field,
                        int64_t{1} << 40));
  CHECK(problems_with_default(Value::absent()).empty());

  // A text constant is written as a string; anything else cannot be read as text.
  e = refusal_of_json([](std::string s) {
    return replace_first(s, R"(\"constants\":\[\[\d+,)", R"("constants":[[5,)");
  });
  CHECK_HAS(e, "malformed bundle at module.constants[0][1]: expected a string");
}

TEST_CASE("the type table and the jurisdiction tree must be acyclic") {
  const ir::Module& m = base();
  std::string e = refusal([](ir::Module& x) {
    std::vector<Type> types;
    for (TypeId t = 0; t < x.types.size(); ++t) types.push_back(x.types.get(t));
    for (auto& t : types)
      if (t.kind == TypeKind::List) {
        t.elem = static_cast<TypeId>(&t - types.data());
        break;
      }
    x.types.assign(std::move(types));
  });
  CHECK_HAS(e, "invalid IR: type #");
  CHECK_HAS(e, "contains itself");

  e = refusal([](ir::Module& x) {
    const TypeId n = x.types.size();
    x.types.intern(Type{TypeKind::Optional, Period::None, 0, n + 1});
    x.types.intern(Type{TypeKind::Optional, Period::None, 0, n});
  });
  CHECK_HAS(e, fmt::format("invalid IR: type #{} contains itself", m.types.size()));

  // Values are read and printed recursively by type: nesting is bounded.
  e = refusal([](ir::Module& x) {
    for (TypeId t = TypeTable::kDays, i = 0; i < ir::kMaxTypeDepth; ++i) t = x.types.list_of(x.types.list_of(t));
  });
  CHECK_HAS(e, fmt::format("types deep, more than {}", ir::kMaxTypeDepth));

  REQUIRE(m.jurisdictions.size() >= 2);
  e = refusal([](ir::Module& x) {
    x.jurisdictions[0].parent = 1;
    x.jurisdictions[1].parent = 0;
  });
  CHECK_HAS(e, fmt::format("invalid IR: jurisdiction `{}` is its own ancestor", m.jurisdictions[0].name));

  e = refusal([](ir::Module& x) { x.jurisdictions[1].parent = 77; });
  CHECK_HAS(e, fmt::format("the parent #77 of jurisdiction `{}` is out of range", m.jurisdictions[1].name));
}

TEST_CASE("no structure or list is optional, so none read through a register is absent") {
  // An absent optional structure moved into a structure register would have
  // its fields read from word 0 under another structure's layout, and a
  // nested structure's place taken from an amount lying there. The language
  // refuses such a type (E0213); so does the verifier, wherever it appears.
  const ir::Module& m = base();
  TypeId member = TypeTable::kError, members = TypeTable::kError;
  for (TypeId t = 0; t < m.types.size(); ++t) {
    if (m.types.kind(t) == TypeKind::Struct && member == TypeTable::kError) member = t;
    if (m.types.kind(t) == TypeKind::List && members == TypeTable::kError) members = t;
  }
  REQUIRE(member != TypeTable::kError);
  REQUIRE(members != TypeTable::kError);
  const TypeId added = m.types.size();
  std::string e = refusal([&](ir::Module& x) { x.types.optional_of(member); });
  CHECK_HAS(e, fmt::format("invalid IR: type #{} is an optional record structure, which no module can have", added));
  e = refusal([&](ir::Module& x) { x.types.optional_of(members); });
  CHECK_HAS(e, fmt::format("invalid IR: type #{} is an optional list, which no module can have", added));
  // An optional of an optional structure: the inner optional, an entry of
  // the table of its own, is refused.
  e = refusal([&](ir::Module& x) { x.types.optional_of(x.types.optional_of(member)); });
  CHECK_HAS(e, fmt::format("type #{} is an optional record structure", added));
  // What the language allows stays allowed.
  std::string digest, error;
  auto fresh = read_bundle(write_bundle(base()), digest, error);
  REQUIRE(fresh.has_value());
  const size_t before = fresh->types.size();
  fresh->types.optional_of(TypeTable::kDays);
  fresh->types.optional_of(TypeTable::kYearMonth);
  REQUIRE(fresh->types.size() > before);
  CHECK(ir::verify_module(*fresh).empty());
}

TEST_CASE("functions must end, and entry points must be callable without arguments") {
  const ir::Module& m = base();
  const uint32_t out = m.outputs[0].function;
  std::string e = refusal([&](ir::Module& x) {
    x.functions[out].code.push_back(ir::Inst{ir::Op::Mov, 0, 0, 0, 0, 0, 0});
  });
  CHECK_HAS(e, fmt::format("function `{}`, instruction {} (mov): the last instruction falls off the end",
                           m.functions[out].name, m.functions[out].code.size()));

  const Place with_params = find(m, [&](uint32_t f, const ir::Inst&) { return m.functions[f].num_params > 0; });
  e = refusal([&](ir::Module& x) { x.outputs[0].function = with_params.fn; });
  CHECK_HAS(e, fmt::format("output `{}` needs a function without parameters", m.outputs[0].name));

  REQUIRE_FALSE(m.constraints.empty());
  e = refusal([&](ir::Module& x) { x.constraints[0].function = m.outputs.back().function; });
  CHECK_HAS(e, "needs a function returning `bool`");

  // Constraints are checked without a record.
  const uint32_t c = m.constraints[0].function;
  e = refusal([&](ir::Module& x) {
    auto& f = x.functions[c];
    const ir::Inst ret = f.code.back();
    f.regs.push_back(x.input_type);
    f.code.push_back(ir::Inst{ir::Op::Input, static_cast<ir::Reg>(f.regs.size() - 1), 0, 0, 0, 0, 0});
    f.code.push_back(ret);
  });
  CHECK_HAS(e, fmt::format("function `{}`, instruction {} (input): reads the record, but a constraint",
                           m.functions[c].name, m.functions[c].code.size()));
}

TEST_CASE("what no bundle can say is still checked in memory") {
  // A module read from a bundle, so its texts are its own.
  auto fresh = [] {
    std::string digest, error;
    auto m = read_bundle(write_bundle(base()), digest, error);
    REQUIRE(m);
    return std::move(*m);
  };
  ir::Module m = fresh();
  m.functions[0].code[0].op = static_cast<ir::Op>(200);
  auto problems = ir::verify_module(m);
  REQUIRE_FALSE(problems.empty());
  CHECK(ir::describe_problem(m, problems[0]) ==
        fmt::format("function `{}`, instruction 0 (?): unknown opcode 200", m.functions[0].name));

  ir::Module t = fresh();
  t.constant_types[0] = TypeTable::kText;
  t.constants[0] = Value::of(12345);
  problems = ir::verify_module(t);
  REQUIRE_FALSE(problems.empty());
  CHECK(problems[0].message == "constant #0: not a text of the module");
}

TEST_CASE("wrongly typed or out-of-range JSON is a clear error, not an exception or a crash") {
  auto json = [](const std::string& pattern, const std::string& with) {
    return refusal_of_json([&](std::string s) { return replace_first(s, pattern, with); });
  };
  CHECK_HAS(json(R"(\"kind\":\d+)", R"("kind":"rule")"),
            "malformed bundle at module.functions[0].kind: expected an integer from 0 to 6 (found \"rule\")");
  CHECK_HAS(json(R"(\"code\":\[\[\d+,\d+)", R"("code":[[0,-1)"),
            "malformed bundle at module.functions[0].code[0][1]: expected an integer from 0 to 4294967295 (found -1)");
  CHECK_HAS(json(R"(\"code\":\[\[\d+)", R"("code":[[200)"),
            fmt::format("module.functions[0].code[0][0]: expected an integer from 0 to {}", ir::kNumOps - 1));
  CHECK_HAS(json(R"(\"code\":\[\[\d+,\d+)", R"("code":[[0,4294967296)"),
            "module.functions[0].code[0][1]: expected an integer");
  CHECK_HAS(json(R"(\"regs\":\[\d+)", R"("regs":[1.5)"), "module.functions[0].regs[0]: expected an integer");
  CHECK_HAS(json(R"(\"regs\":\[\d+)", R"("regs":[100000)"), "module.functions[0].regs[0]: type #100000 out of range");
  CHECK_HAS(json(R"(\"types\":\[\[\d+)", R"("types":[[99)"), "module.types[0][0]: expected an integer from 0 to 15");
  CHECK_HAS(json(R"(\"outputs\":)", R"("outputz":)"), "malformed bundle at module: missing `outputs`");
  CHECK_HAS(json(R"(\"code\":\[\[)", R"("code":[{"op":1},[)"), "module.functions[0].code[0]: expected an array");
  CHECK_HAS(json(R"(\"locations\":\[\[)", R"("locations":[[1,)"), "locations[0]: expected an array of 4 items");
  CHECK_HAS(refusal_of_text(write_bundle(base()).substr(0, 500)), "not valid JSON");
  CHECK_HAS(refusal_of_text("[1,2]"), "not a doudi-bundle/1 file");
}

TEST_CASE("everything the compiler produces verifies, and reads back from a bundle") {
  size_t compiled = 0;
  for (const char* dir : {"stdlib-policies", "tests"})
    for (const auto& entry : fs::recursive_directory_iterator(kRoot / dir)) {
      if (entry.path().extension() != ".doudi") continue;
      const auto comp = compile({entry.path().string()}, Stage::Lower);
      if (!comp->ok()) continue;  // the fail_* cases stop before lowering
      ++compiled;
      INFO(entry.path().string());
      const auto problems = ir::verify_module(*comp->module);
      CHECK_MESSAGE(problems.empty(), (problems.empty() ? "" : ir::describe_problem(*comp->module, problems[0])));
      std::string digest, error;
      CHECK_MESSAGE(read_bundle(write_bundle(*comp->module), digest, error).has_value(), error);
    }
  CHECK(compiled >= 40);
}

TEST_CASE("a text field's default lives in the module") {
  const auto dir = fs::temp_directory_path() / "doudi_verify_test";
  fs::create_directories(dir);
  const auto path = dir / "t.doudi";
  std::ofstream(path) << "语言 中文\n模块 测试.校验\n"
                         "结构 户 { 名称 : 文本 = \"无名\", 人数值 : 整数 }\n"
                         "输入 户 : 户\n辖区 甲 {}\n"
                         "规则 有名 : 布尔\n  默认 = 户.名称 ≠ \"无名\" 【出处】\n";
  const auto comp = compile({path.string()}, Stage::Lower);
  std::string all;
  for (const auto& d : comp->diags.all()) all += render(d, comp->sources, {Lang::En, false});
  INFO(all);
  REQUIRE(comp->ok());
  const auto problems = ir::verify_module(*comp->module);
  CHECK_MESSAGE(problems.empty(), (problems.empty() ? "" : ir::describe_problem(*comp->module, problems[0])));
}

TEST_CASE("explanation trees are trees: in range, children earlier, one parent each, bounded depth") {
  // The first function with a tree of at least two nodes.
  auto with_tree = [](const ir::Module& m) {
    for (uint32_t f = 0; f < m.functions.size(); ++f)
      if (m.functions[f].tree.size() >= 2) return f;
    FAIL("no explanation tree in the base module");
    return 0u;
  };
  CHECK_HAS(refusal([&](ir::Module& m) { m.functions[with_tree(m)].tree.back().reg = 1u << 30; }), "register");
  CHECK_HAS(refusal([&](ir::Module& m) { m.functions[with_tree(m)].tree.back().loc = 1u << 30; }), "source location");
  CHECK_HAS(refusal([&](ir::Module& m) {
              auto& t = m.functions[with_tree(m)].tree;
              t.back().kids.push_back(static_cast<uint32_t>(t.size() - 1));
            }),
            "not an earlier node");
  // A node shared by two parents: a walk would repeat it (and, nested,
  // grow exponentially).
  CHECK_HAS(refusal([&](ir::Module& m) {
              auto& t = m.functions[with_tree(m)].tree;
              t.push_back(ir::ExprNode{ir::Shape::Not, 0, 0, t.back().reg, 0, 0, {0}});
            }),
            "parents");
  // A chain deeper than an explanation may recurse.
  CHECK_HAS(refusal([&](ir::Module& m) {
              auto& t = m.functions[with_tree(m)].tree;
              for (uint32_t i = 0; i < ir::kMaxTreeDepth + 5; ++i) {
                const uint32_t below = static_cast<uint32_t>(t.size() - 1);
                t.push_back(ir::ExprNode{ir::Shape::Not, 0, 0, t.back().reg, 0, 0, {below}});
              }
            }),
            "deep");
}
