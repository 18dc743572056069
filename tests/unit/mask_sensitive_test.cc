// 敏感 values are masked in record text shown to people, keeping every
// byte offset (diagnostic carets) and the display width.
#include <doctest/doctest.h>

#include "runtime/record/mask_sensitive.h"

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
