// 敏感 values are masked in record text shown to people, keeping every
// byte offset (diagnostic carets) and the display width.
#include <doctest/doctest.h>

#include "runtime/record/mask_sensitive.h"
#include "runtime/record/record_json.h"
#include "runtime/record/record_loader.h"

using namespace doudi;

namespace {

ir::Module schema() {
  ir::Module m;
  m.structs.push_back(ir::Struct{"成员", {ir::Field{"身份证号", 0, true, false, std::nullopt, false}, ir::Field{"年龄", 0, false, false, std::nullopt, false}}});
  return m;
}

}  // namespace

TEST_CASE("sensitive values are masked, byte for byte") {
  const ir::Module m = schema();
  const std::string json = R"({"身份证号": "62042219700101001X", "年龄": 52})";
  const std::string masked = mask_sensitive_values(m, json);
  CHECK(masked == R"({"身份证号": "******************", "年龄": 52})");
  CHECK(masked.size() == json.size());
}

TEST_CASE("Chinese text becomes full-width stars, escapes and wrong types are masked too") {
  const ir::Module m = schema();
  CHECK(mask_sensitive_values(m, R"({"身份证号":"张三"})") == "{\"身份证号\":\"\xEF\xBC\x8A\xEF\xBC\x8A\"}");
  CHECK(mask_sensitive_values(m, R"({"身份证号": "a\"b"})") == R"({"身份证号": "****"})");
  CHECK(mask_sensitive_values(m, R"({"身份证号": 620422, "年龄": 1})") == R"({"身份证号": ******, "年龄": 1})");
}

TEST_CASE("the key's name as a value, and other fields, are left alone") {
  const ir::Module m = schema();
  const std::string json = R"({"年龄": "身份证号", "x": "身份证号"})";
  CHECK(mask_sensitive_values(m, json) == json);
}

// A crafted module may hold a structure within itself: through a list,
// nothing refuses one, and this plan is made from any module, verified or
// not (here through optionals, which the verifier refuses). The batch's
// plan of which fields may hold a 敏感 text is worked out over the graph of
// structures, at once, and finds what walking the record finds: here a 敏感
// text reached through a structure that holds its holder.
TEST_CASE("a structure within itself: the plan of 敏感 fields is made at once and finds what the record holds") {
  ir::Module m;
  const TypeId y = m.types.intern(Type{TypeKind::Struct, Period::None, 0, 0});
  const TypeId x = m.types.intern(Type{TypeKind::Struct, Period::None, 1, 0});
  const TypeId a = m.types.intern(Type{TypeKind::Struct, Period::None, 2, 0});
  // Y { x: X?, t: 文本 敏感 }, X { y: Y? }, A { p: A?, q: A? } (no 敏感 text: twice itself).
  m.structs.push_back(ir::Struct{"Y", {ir::Field{"x", m.types.optional_of(x), false, false, std::nullopt, false},
                                       ir::Field{"t", TypeTable::kText, true, true, std::nullopt, false}}});
  m.structs.push_back(ir::Struct{"X", {ir::Field{"y", m.types.optional_of(y), false, false, std::nullopt, false}}});
  m.structs.push_back(ir::Struct{"A", {ir::Field{"p", m.types.optional_of(a), false, false, std::nullopt, false},
                                       ir::Field{"q", m.types.optional_of(a), false, false, std::nullopt, false}}});
  m.input_type = y;
  const RecordWriterPlan plan(m);
  CHECK(plan.sensitive[0] == std::vector<uint32_t>{0, 1});  // Y: x (X holds a Y) and t
  CHECK(plan.sensitive[1] == std::vector<uint32_t>{0});     // X: y
  CHECK(plan.sensitive[2].empty());                         // A: none, though it holds itself twice over
  const LoadedRecord r = load_record_json(m, R"({"x":{"y":{"x":null,"t":"inner"}},"t":"outer"})");
  REQUIRE(r.ok());
  CHECK(sensitive_texts(m, r.data, &plan) == std::vector<std::string>{"inner", "outer"});
  CHECK(sensitive_texts(m, r.data) == sensitive_texts(m, r.data, &plan));
}
