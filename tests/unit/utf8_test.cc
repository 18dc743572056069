#include <doctest/doctest.h>

#include "runtime/source/source.h"
#include "runtime/source/utf8.h"

using namespace doudi;

TEST_CASE("invalid UTF-8 is found at its byte") {
  CHECK_FALSE(find_invalid_utf8("低保 ok").has_value());
  CHECK(*find_invalid_utf8(std::string("ab\xff", 3)) == 2);
  CHECK(*find_invalid_utf8(std::string("\xe4\xbd", 2)) == 0);   // truncated
  CHECK(*find_invalid_utf8(std::string("\xc0\xaf", 2)) == 0);   // overlong
  CHECK(*find_invalid_utf8(std::string("\xed\xa0\x80", 3)) == 0);  // surrogate
}

TEST_CASE("Chinese characters are one column but two cells wide") {
  CHECK(count_code_points("低保资格") == 4);
  CHECK(display_width("低保资格") == 8);
  CHECK(display_width("ab（）") == 6);
  CHECK(display_width("a b") == 3);
}

TEST_CASE("line and column count characters") {
  SourceFile f("x", "语言 中文\n定义 甲 : 整数 = 乙\n");
  const auto lc = f.line_col(static_cast<uint32_t>(std::string("语言 中文\n定义 甲 : 整数 = ").size()));
  CHECK(lc.line == 2);
  CHECK(lc.column == 13);
  CHECK(f.line_text(2) == "定义 甲 : 整数 = 乙");
}
