// A household given as typed values loads exactly as the same household
// written in JSON: the same values, and for a bad one the same problems in
// the same order. Random households of the Huining schema (the differential
// tests' generator) are turned into typed values with each representation a
// value may take (分 or yuan, whole numbers, decimal text, dates), then
// mutated (values set twice, of the wrong kind, negative, unknown enum
// values, fields left out).
#include <doctest/doctest.h>
#include <simdjson.h>

#include <charconv>
#include <filesystem>
#include <random>
#include <string>

#include "doudi/compiler.h"
#include "doudi/engine.h"
#include "runtime/record/record_json.h"
#include "runtime/record/typed_record.h"
#include "runtime/value/calendar.h"
#include "runtime/value/money.h"
#include "tests/differential/record_generator.h"

using namespace doudi;
using record::Scalar;
namespace od = simdjson::ondemand;

namespace {

std::shared_ptr<const RuleSet> huining() {
  static std::shared_ptr<const RuleSet> rules = [] {
    std::filesystem::current_path(DOUDI_SOURCE_DIR);
    auto loaded = load_rules("stdlib-policies/huining/urban_dibao.doudi");
    REQUIRE(loaded.rules);
    return loaded.rules;
  }();
  return rules;
}

// Fills a typed record from JSON, choosing at random among the ways a value
// may be given; with `mutate`, breaks it now and then.
class Filler {
 public:
  Filler(const RecordFields& fields, TypedRecord& out, uint64_t seed, bool mutate)
      : fields_(fields), out_(out), rng_(seed), mutate_(mutate) {}

  void object(od::object obj, const std::string& prefix) {
    for (auto field : obj) {
      const std::string key(field.unescaped_key().value());
      od::value v = field.value().value();
      const auto h = fields_.find(prefix + key);
      REQUIRE(h);
      if (mutate_ && chance(0.04)) {  // left out, or given a bad value
        if (chance(0.5)) break_field(*h);
        continue;
      }
      value(v, *h, prefix + key);
      if (mutate_ && chance(0.01)) break_field(*h);  // given twice
    }
  }

 private:
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }

  void set(uint32_t h, const Scalar& s) { REQUIRE(out_.set(h, s) == TypedRecord::Misuse::None); }

  void value(od::value v, uint32_t h, const std::string& path) {
    const auto& m = fields_.module();
    switch (v.type().value()) {
      case od::json_type::object:
        object(v.get_object().value(), path + ".");
        return;
      case od::json_type::array: {
        bool any = false;
        for (auto item : v.get_array()) {
          any = true;
          od::value x = item.value();
          if (fields_.field(h).shape == RecordFields::Shape::StructList) {
            REQUIRE(out_.add_item(h) == TypedRecord::Misuse::None);
            object(x.get_object().value(), path + ".");
          } else {
            value(x, h, path);
          }
        }
        if (!any) REQUIRE(out_.set_empty_list(h) == TypedRecord::Misuse::None);
        return;
      }
      case od::json_type::number: {
        const std::string_view raw = v.raw_json_token();
        std::string_view text = raw.substr(0, raw.find_last_not_of(" \n\r\t,") + 1);
        int64_t n = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
        const bool whole = ec == std::errc{} && end == text.data() + text.size();
        const auto fen = parse_money_yuan(text).fen;
        if (m.types.kind(fields_.value_type(h)) == TypeKind::Money && fen && chance(0.5)) set(h, Scalar{Scalar::Kind::Fen, {}, *fen});
        else if (whole && m.types.kind(fields_.value_type(h)) != TypeKind::Money && chance(0.5)) set(h, Scalar{Scalar::Kind::Integer, {}, n});
        else if (m.types.kind(fields_.value_type(h)) == TypeKind::Money && chance(0.3)) set(h, Scalar{Scalar::Kind::String, text, 0});
        else set(h, Scalar{Scalar::Kind::Number, text, 0});
        return;
      }
      case od::json_type::string: {
        const std::string text(v.get_string().value());
        const TypeKind k = m.types.kind(fields_.value_type(h));
        if (k == TypeKind::Date && parse_date(text) && chance(0.5)) set(h, Scalar{Scalar::Kind::Date, {}, *parse_date(text)});
        else if (k == TypeKind::YearMonth && parse_year_month(text) && chance(0.5))
          set(h, Scalar{Scalar::Kind::Date, {}, first_day_of(*parse_year_month(text))});
        else set(h, Scalar{Scalar::Kind::String, text, 0});
        return;
      }
      case od::json_type::boolean: set(h, Scalar{Scalar::Kind::Bool, {}, v.get_bool().value() ? 1 : 0}); return;
      case od::json_type::null: set(h, Scalar{}); return;
    }
  }

  // A value that should not be there: of the wrong kind, negative, an
  // unknown name, a date not on the 1st for a month (or given again). 分,
  // dates and whole numbers only where JSON's number or string would be read
  // alike: a date for a yes/no is E2005 typed, a string refused otherwise in
  // JSON.
  void break_field(uint32_t h) {
    if (fields_.field(h).shape == RecordFields::Shape::StructList) {
      (void)out_.set(h, Scalar{});  // null as well as items
      return;
    }
    const TypeKind k = fields_.module().types.kind(fields_.value_type(h));
    static const Scalar bad[] = {
        Scalar{Scalar::Kind::Bool, {}, 1},          Scalar{Scalar::Kind::Integer, {}, -5},
        Scalar{Scalar::Kind::Fen, {}, -1},          Scalar{Scalar::Kind::String, "没有这个值", 0},
        Scalar{Scalar::Kind::Number, "1.005", 0},   Scalar{Scalar::Kind::Number, "9223372036854775808", 0},
        Scalar{Scalar::Kind::Date, {}, 19000},      Scalar{Scalar::Kind::Date, {}, 18993},
        Scalar{Scalar::Kind::String, "2022-02-30", 0}, Scalar{Scalar::Kind::Integer, {}, INT64_MAX},
        Scalar{},
    };
    Scalar s = bad[std::uniform_int_distribution<size_t>(0, std::size(bad) - 1)(rng_)];
    if (s.kind == Scalar::Kind::Fen && k != TypeKind::Money) s.kind = Scalar::Kind::Integer;
    if (s.kind == Scalar::Kind::Integer && k == TypeKind::Money) s = Scalar{Scalar::Kind::Number, "-5", 0};
    if (s.kind == Scalar::Kind::Date && k != TypeKind::Date && k != TypeKind::YearMonth) s = Scalar{Scalar::Kind::Bool, {}, 0};
    set(h, s);
  }

  const RecordFields& fields_;
  TypedRecord& out_;
  std::mt19937_64 rng_;
  bool mutate_;
};

std::string problems_of(const LoadedRecord& r) {
  std::string out;
  for (const auto& p : r.problems) {
    out += std::string(diag_info(p.code).code);
    for (const auto& a : p.args) out += " | " + a;
    out += "\n";
  }
  return out;
}

// Both loads of one household must agree: the same problems, in order, and
// for one that loads, the same record.
void require_same(const ir::Module& m, const LoadedRecord& typed, const LoadedRecord& json) {
  REQUIRE(problems_of(typed) == problems_of(json));
  if (json.ok()) CHECK(record_to_json(m, typed.data, nullptr) == record_to_json(m, json.data, nullptr));
}

void fill(const RecordFields& fields, TypedRecord& typed, const std::string& json, uint64_t seed, bool mutate) {
  simdjson::padded_string padded(json);
  od::parser parser;
  od::document doc = parser.iterate(padded);
  typed.clear();
  Filler(fields, typed, seed, mutate).object(doc.get_object().value(), "");
}

}  // namespace

TEST_CASE("a typed household loads as its JSON does: the same values, every way a value may be given") {
  const auto rules = huining();
  const ir::Module& m = rules->module();
  const RecordFields fields(m);
  TypedRecord typed(fields);
  testing::RecordGenerator generate(m, 7);
  LoadedRecord from_typed;
  size_t loaded = 0;
  for (uint64_t i = 0; i < 2000; ++i) {
    const std::string json = generate.next();
    const LoadedRecord from_json = load_household(*rules, json);
    fill(fields, typed, json, i, false);
    typed.load(from_typed);
    INFO("record ", i, ": ", json);
    require_same(m, from_typed, from_json);
    loaded += from_json.ok();
  }
  CHECK(loaded > 1500);
}

TEST_CASE("a broken typed household is refused as its JSON form is, problem for problem") {
  const auto rules = huining();
  const ir::Module& m = rules->module();
  const RecordFields fields(m);
  TypedRecord typed(fields);
  testing::RecordGenerator generate(m, 11);
  LoadedRecord from_typed;
  size_t refused = 0;
  for (uint64_t i = 0; i < 2000; ++i) {
    fill(fields, typed, generate.next(), i, true);
    typed.load(from_typed);
    const std::string json = typed.json();
    const LoadedRecord from_json = load_household(*rules, json);
    INFO("record ", i, ": ", json);
    require_same(m, from_typed, from_json);
    refused += !from_json.ok();
  }
  CHECK(refused > 500);
}

TEST_CASE("typed households: problems name the path; the call's own mistakes are told apart") {
  const auto rules = huining();
  const RecordFields fields(rules->module());
  TypedRecord typed(fields);
  const uint32_t members = *fields.find("成员"), age = *fields.find("成员.年龄"), kind = *fields.find("户籍");
  CHECK_FALSE(fields.find("成员.年纪"));
  CHECK(typed.set(age, Scalar{Scalar::Kind::Integer, {}, 30}) == TypedRecord::Misuse::NoItem);
  CHECK(typed.add_item(kind) == TypedRecord::Misuse::NotAStructList);
  CHECK(typed.set(members, Scalar{Scalar::Kind::Integer, {}, 1}) == TypedRecord::Misuse::NotAValue);
  CHECK(typed.set_empty_list(kind) == TypedRecord::Misuse::NotAList);
  CHECK(typed.set(static_cast<uint32_t>(fields.size()), Scalar{}) == TypedRecord::Misuse::NoSuchField);
  REQUIRE(typed.set(kind, Scalar{Scalar::Kind::String, "城市", 0}) == TypedRecord::Misuse::None);
  REQUIRE(typed.add_item(members) == TypedRecord::Misuse::None);
  REQUIRE(typed.set(age, Scalar{Scalar::Kind::Integer, {}, 30}) == TypedRecord::Misuse::None);
  REQUIRE(typed.add_item(members) == TypedRecord::Misuse::None);
  REQUIRE(typed.set(age, Scalar{Scalar::Kind::Integer, {}, -2}) == TypedRecord::Misuse::None);
  LoadedRecord r;
  typed.load(r);
  // 财产符合规定 is missing; the second member's age is negative.
  CHECK(problems_of(r).find("E2009 | $.成员[1].年龄 | -2") != std::string::npos);
  CHECK(problems_of(r).find("E2003 | $ | 财产符合规定") != std::string::npos);
  CHECK(r.problems[0].offset == record::kNoOffset);
  CHECK(typed.json() == R"({"户籍":"城市","成员":[{"年龄":30},{"年龄":-2}]})");
  // An amount as a bare whole number (yuan or 分?), a day not in the
  // calendar, a null member, an empty structure.
  typed.clear();
  REQUIRE(typed.add_item(members) == TypedRecord::Misuse::None);
  REQUIRE(typed.set(*fields.find("成员.工资性收入"), Scalar{Scalar::Kind::Integer, {}, 1900}) == TypedRecord::Misuse::None);
  REQUIRE(typed.set(*fields.find("渐退起始月"), Scalar{Scalar::Kind::BadDate, "2022-2-30", 0}) == TypedRecord::Misuse::None);
  REQUIRE(typed.add_item(members, true) == TypedRecord::Misuse::None);
  CHECK(typed.set(age, Scalar{Scalar::Kind::Integer, {}, 30}) == TypedRecord::Misuse::NoItem);  // a null item opens nothing
  typed.load(r);
  CHECK(problems_of(r).find("E2008 | $.渐退起始月 | 2022-2-30") != std::string::npos);
  CHECK(problems_of(r).find("E2005 | $.成员[0].工资性收入 | 元/月") != std::string::npos);
  CHECK(problems_of(r).find("E2005 | $.成员[1] | 成员") != std::string::npos);
  CHECK(typed.json().find(R"("成员":[{"工资性收入":1900},null])") != std::string::npos);
  // -2^63 分 is past what decimal text can say (the typed fuzzer found it accepted).
  typed.clear();
  REQUIRE(typed.set(*fields.find("上年度家庭总收入"), Scalar{Scalar::Kind::Fen, {}, INT64_MIN}) == TypedRecord::Misuse::None);
  typed.load(r);
  CHECK(problems_of(r).find("E2007 | $.上年度家庭总收入 | -92233720368547758.08") != std::string::npos);
  // A text that is not UTF-8 refuses the household, as in JSON (E2002).
  typed.clear();
  REQUIRE(typed.add_item(members) == TypedRecord::Misuse::None);
  REQUIRE(typed.set(*fields.find("成员.姓名"), Scalar{Scalar::Kind::String, "张\xE4", 0}) == TypedRecord::Misuse::None);
  typed.load(r);
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0].code == DiagCode::E2002);
  CHECK(r.problems[0].args[0] == "4");  // 张's three bytes, then the fourth, counted from 1
}
