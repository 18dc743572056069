// The interpreter through the whole pipeline on small programs written to a
// temporary file: rounding, overflow, conflicts and gaps are error results.
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "compiler/driver/pipeline.h"
#include "runtime/interp/interpreter.h"
#include "runtime/record/record_loader.h"
#include "runtime/value/calendar.h"

using namespace doudi;

namespace {

struct Fixture {
  std::unique_ptr<Compilation> comp;
  explicit Fixture(const std::string& body) {
    const auto dir = std::filesystem::temp_directory_path() / "doudi_interp_test";
    std::filesystem::create_directories(dir);
    const auto path = dir / "t.doudi";
    std::ofstream(path) << "语言 中文\n模块 测试.解释器\n"
                           "结构 户 { 人数值 : 整数, 收入 : 元/月 = 0 元/月 }\n输入 户 : 户\n"
                           "辖区 甲 {}\n"
                        << body;
    comp = compile({path.string()}, Stage::Lower);
    std::string all;
    for (const auto& d : comp->diags.all()) all += render(d, comp->sources, {Lang::En, false});
    INFO(all);
    REQUIRE(comp->ok());
  }
  Decision decide(const std::string& json) {
    auto rec = load_record_json(*comp->module, json);
    REQUIRE(rec.ok());
    Interpreter in(*comp->module);
    in.set_context(0, *parse_year_month("2022-06"));
    record_ = std::move(rec.data);
    return in.decide(record_);
  }
  RecordData record_;
};

}  // namespace

TEST_CASE("money × ratio rounds half up by default and as written otherwise") {
  Fixture f(
      "规则 甲 : 元/月 默认 = 收入 × (1/3) 【测】\n"
      "定义 收入 : 元/月 = 户.收入 【测】\n"
      "规则 乙 : 元/月 默认 = 向下取整(户.收入 × (2/3)) 【测】\n"
      "规则 丙 : 元/月 默认 = 向上取整(户.收入 ÷ 户.人数值) 【测】\n");
  auto d = f.decide(R"({"人数值": 3, "收入": 1})");
  REQUIRE_FALSE(d.error);
  // 1/3 of 100 分 = 33.33… → 33; 2/3 → 66.66… down to 66; 100/3 up → 34.
  CHECK(d.outputs[0].a == 33);
  CHECK(d.outputs[1].a == 66);
  CHECK(d.outputs[2].a == 34);
}

TEST_CASE("overflow is an error result, not a wrapped value") {
  Fixture f("规则 甲 : 元/月 默认 = 户.收入 × 户.人数值 【测】\n");
  auto d = f.decide(R"({"人数值": 9000000000, "收入": 90000000000})");
  REQUIRE(d.error);
  CHECK(d.error->code == DiagCode::E1001);
}

TEST_CASE("division by zero is an error result") {
  Fixture f("规则 甲 : 元/月 默认 = 户.收入 ÷ 户.人数值 【测】\n");
  auto d = f.decide(R"({"人数值": 0, "收入": 5})");
  REQUIRE(d.error);
  CHECK(d.error->code == DiagCode::E1002);
}

TEST_CASE("two exceptions with different results and no precedence are a conflict") {
  Fixture f(
      "规则 甲 : 整数\n  默认 = 0 【测】\n"
      "  例外 一 当 户.人数值 > 1 则 1 【测】\n"
      "  例外 二 当 户.人数值 > 2 则 2 【测】\n");
  CHECK(f.decide(R"({"人数值": 2})").outputs[0].a == 1);
  auto d = f.decide(R"({"人数值": 3})");
  REQUIRE(d.error);
  CHECK(d.error->code == DiagCode::E1003);
}

TEST_CASE("written precedence resolves the overlap, transitively") {
  Fixture f(
      "规则 甲 : 整数\n  默认 = 0 【测】\n"
      "  例外 一 当 户.人数值 > 1 则 1 【测】\n"
      "  例外 二 优先于 一 当 户.人数值 > 2 则 2 【测】\n"
      "  例外 三 优先于 二 当 户.人数值 > 3 则 3 【测】\n");
  CHECK(f.decide(R"({"人数值": 3})").outputs[0].a == 2);
  CHECK(f.decide(R"({"人数值": 4})").outputs[0].a == 3);
  CHECK(f.decide(R"({"人数值": 0})").outputs[0].a == 0);
}

TEST_CASE("a rule without default that no exception covers is a gap") {
  Fixture f("规则 甲 : 整数\n  例外 一 当 户.人数值 > 1 则 1 【测】\n");
  auto d = f.decide(R"({"人数值": 1})");
  REQUIRE(d.error);
  CHECK(d.error->code == DiagCode::E1004);
}

TEST_CASE("a parameter with no value in force is an error naming it") {
  Fixture f(
      "参数 标准 : 元/月\n辖区 甲 { 标准 = 100 元/月 自 2023-01-01 【测】 }\n"
      "规则 甲规则 : 元/月 默认 = 标准 【测】\n");
  auto d = f.decide(R"({"人数值": 1})");
  REQUIRE(d.error);
  CHECK(d.error->code == DiagCode::E1005);
  CHECK(d.error->args[0] == "标准");
}
