// Records in 8-byte words (runtime/record/record_layout.h): a value that
// needs one word takes one, the others two, and every reader — both engines,
// the record written back as JSON — finds each value where the loader put it.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include "compiler/driver/pipeline.h"
#include "doudi/compiler.h"
#include "doudi/engine.h"
#include "tests/unit/every_engine.h"
#include "runtime/record/record_json.h"
#include "runtime/record/record_layout.h"

using namespace doudi;

namespace {

// Narrow and wide fields interleaved, a list of structures holding a list of
// structures, a list of ratios, optionals present and absent.
constexpr char kRules[] = R"(language en
module test.layout
enum kind { farmer, worker }
struct pay {
  amount : yuan/month
  share : ratio
}
struct person {
  age : int
  remark : text?
  share : ratio
  income : yuan/month = 0 yuan/month
  bonus : yuan/month?
  pays : list<pay>
  kind : kind
  born : date
}
struct household {
  id : int
  members : list<person>
  shares : list<ratio>
  extra : int?
}
input household : household
jurisdiction here {}
rule ages : int
  default = sum p in household.members : p.age [t]
rule incomes : yuan/month
  default = sum p in household.members : p.income [t]
rule paid : yuan/month
  default = sum p in household.members : (sum q in p.pays : q.amount × q.share) [t]
rule kept : yuan/month
  default = sum p in household.members : p.income × p.share [t]
rule shares : int
  default = count(household.shares) [t]
rule workers : int
  default = count p in household.members when p.kind = worker [t]
rule born_late : int
  default = count p in household.members when p.born > 2000-02-29 [t]
rule share_total : ratio
  default = sum s in household.shares : s [t]
rule bonuses : yuan/month
  default = sum p in household.members : p.bonus ?? 0 yuan/month [t]
rule extra_or : int
  default = household.extra ?? 5 [t]
)";

constexpr char kHousehold[] = R"({"id": 7, "members": [
  {"age": 41, "remark": "甲", "share": "50%", "income": 1000.01, "bonus": 3, "kind": "worker", "born": "1983-05-31",
   "pays": [{"amount": 10.00, "share": "40%"}, {"amount": 20.00, "share": "75%"}]},
  {"age": 9, "share": "25%", "pays": [], "kind": "farmer", "born": "2015-12-31"}],
 "shares": ["50%", "25%"]})";

}  // namespace

TEST_CASE("a record's values take one word or two and every reader finds them") {
  const auto loaded = load_source_rules("layout.doudi", kRules);
  REQUIRE(loaded.rules);
  const ir::Module& m = loaded.rules->module();
  LoadedRecord record = load_household(*loaded.rules, kHousehold);
  REQUIRE(record.ok());
  // household 7 (id 1, members 2, shares 2, extra 2) + 2 member words + 2 ×
  // person 12 (age 1, remark 2, share 2, income 1, bonus 2, pays 2, kind 1,
  // born 1) + 2 pay words + 2 × pay 3 (amount 1, share 2) + 2 × ratio 2.
  CHECK(record.data.words.size() == 7 + 2 + 24 + 2 + 6 + 4);
  const uint32_t person = m.types.get(m.types.get(m.structs[m.types.get(m.input_type).ref].fields[1].type).elem).ref;
  CHECK(record::field_offset(m, person, 3) == 5);  // income, after age, remark and share
  CHECK(record::struct_words(m, person) == 12);

  // Written back, the record is what was read (optionals absent stay absent).
  const std::string json = record_to_json(m, record.data, nullptr, false);
  LoadedRecord again = load_household(*loaded.rules, json);
  REQUIRE(again.ok());
  CHECK(record_to_json(m, again.data, nullptr, false) == json);
  CHECK(json.find(R"("remark":"甲")") != std::string::npos);
  CHECK(json.find(R"("extra":null)") != std::string::npos);

  std::vector<Diagnostic> errors;
  const auto context = loaded.rules->context("here", "2024-03", errors);
  REQUIRE(context);
  std::vector<std::unique_ptr<Engine>> engines = testing::every_engine(loaded.rules);
  for (size_t e = 0; e < engines.size(); ++e) {
    INFO("engine ", e);
    auto& engine = engines[e];
    engine->set_context(*context);
    const Decision d = engine->decide(record.data);
    REQUIRE_FALSE(d.error);
    auto value = [&](const char* name) {
      for (size_t i = 0; i < m.outputs.size(); ++i)
        if (m.outputs[i].name == name) return d.outputs[i];
      FAIL("no output " << name);
      return Value{};
    };
    auto out = [&](const char* name) { return value(name).a; };
    CHECK(out("ages") == 50);
    CHECK(out("incomes") == 100001);             // 1000.01 + the default 0
    CHECK(out("paid") == 400 + 1500);            // 10.00 × 40%, 20.00 × 75%
    CHECK(out("kept") == 50001);                 // 1000.01 × 1/2 = 500.005 half up
    CHECK(out("shares") == 2);
    CHECK(out("workers") == 1);
    CHECK(out("born_late") == 1);
    CHECK(value("share_total") == Value::of_ratio(Ratio{3, 4}));  // list elements of two words
    CHECK(out("bonuses") == 300);                                 // one member's 3 元, the other's absent
    CHECK(out("extra_or") == 5);
  }
}

TEST_CASE("a structure register at word 0 reads inside memory the engines own; no absent structure reaches one") {
  // A record may be shorter than the module's largest structure (here 3
  // words against person's 5). The compiled engine reads a structure
  // register's fields where the register is written, its zero at the
  // function's entry included (word 0, before any member is read): both
  // engines read such a record through a copy padded with zeros
  // (record::ReadableWords), and a longer one in place.
  const char* const source = R"(language en
module test.crafted
struct person {
  a : int
  b : int
  c : int
  d : int
  e : int
}
struct household {
  n : int
  members : list<person>
}
input household : household
jurisdiction here {}
rule r : int
  default = sum m in household.members : m.e [t]
)";
  std::shared_ptr<Compilation> comp = compile_text("crafted.doudi", source);
  REQUIRE(comp->ok());
  REQUIRE(comp->module);
  std::vector<Diagnostic> errors;
  auto rules = RuleSet::from_module(std::shared_ptr<const ir::Module>(comp, &*comp->module), "crafted", errors);
  REQUIRE(rules);
  LoadedRecord record = load_household(*rules, R"({"n": 7, "members": []})");
  REQUIRE(record.ok());
  REQUIRE(record.data.words.size() == 3);
  record::ReadableWords readable(*comp->module);
  const RecordView short_view(record.data);
  CHECK(readable.readable(short_view) == 5);
  const int64_t* const padded = readable.of(short_view);
  CHECK(padded != record.data.words.data());
  for (size_t w = 0; w < 3; ++w) CHECK(padded[w] == record.data.words[w]);
  CHECK(padded[3] == 0);
  CHECK(padded[4] == 0);
  LoadedRecord longer = load_household(*rules, R"({"n": 7, "members": [{"a": 1, "b": 2, "c": 3, "d": 4, "e": 5}]})");
  REQUIRE(longer.ok());
  REQUIRE(longer.data.words.size() >= 5);
  const RecordView long_view(longer.data);
  CHECK(readable.of(long_view) == longer.data.words.data());
  CHECK(readable.readable(long_view) == longer.data.words.size());
  const auto context = rules->context("here", "2024-03", errors);
  REQUIRE(context);
  for (auto& engine : testing::every_engine(rules)) {
    engine->set_context(*context);
    const Decision none = engine->decide(record.data), one = engine->decide(longer.data);
    REQUIRE_FALSE(none.error);
    REQUIRE_FALSE(one.error);
    CHECK(none.outputs[0] == Value::of(0));
    CHECK(one.outputs[0] == Value::of(5));
  }

  // A crafted bundle's type table with an optional structure, whose absent
  // constant moved into a structure register (a move may drop an optional
  // layer) would have its fields read from word 0 under person's layout: the
  // module is refused before any engine runs it.
  std::shared_ptr<Compilation> crafted = compile_text("crafted.doudi", source);
  REQUIRE(crafted->ok());
  ir::Module& m = *crafted->module;
  uint32_t person = 0;
  while (person < m.structs.size() && m.structs[person].name != "person") ++person;
  REQUIRE(person < m.structs.size());
  const TypeId person_type = m.types.intern(Type{TypeKind::Struct, Period::None, person, 0});
  const TypeId optional = m.types.optional_of(person_type);
  m.constants.push_back(Value::absent());
  m.constant_types.push_back(optional);
  const auto absent = static_cast<uint32_t>(m.constants.size() - 1);
  ir::Function* f = nullptr;
  for (auto& fn : m.functions)
    if (fn.name == "r#default") f = &fn;
  REQUIRE(f);
  REQUIRE(f->code.back().op == ir::Op::Ret);
  const ir::Inst ret = f->code.back();
  const auto reg = static_cast<ir::Reg>(f->regs.size());
  f->regs.insert(f->regs.end(), {optional, person_type, TypeTable::kInt});
  f->code.back() = ir::Inst{ir::Op::Const, reg, absent, 0, 0, 0, ret.loc};
  f->code.push_back(ir::Inst{ir::Op::Mov, reg + 1, reg, 0, 0, 0, ret.loc});
  f->code.push_back(ir::Inst{ir::Op::Field, reg + 2, reg + 1, 4, 0, 0, ret.loc});
  f->code.push_back(ir::Inst{ir::Op::Ret, 0, reg + 2, 0, 0, 0, ret.loc});
  errors.clear();
  CHECK_FALSE(RuleSet::from_module(std::shared_ptr<const ir::Module>(crafted, &m), "crafted", errors));
  REQUIRE_FALSE(errors.empty());
  CHECK(errors[0].args.back().find(fmt::format("type #{} is an optional record structure", optional)) !=
        std::string::npos);
}
