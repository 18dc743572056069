// The same policy in the Chinese and the English dialect lowers to the same
// IR, instruction for instruction.
#include <doctest/doctest.h>

#include "compiler/driver/pipeline.h"

using namespace doudi;

TEST_CASE("Chinese and English dialects give the same IR") {
  const std::string dir = DOUDI_SOURCE_DIR "/tests/dialects/";
  auto zh = compile({dir + "policy_zh.doudi"}, Stage::Lower);
  auto en = compile({dir + "policy_en.doudi"}, Stage::Lower);
  REQUIRE(zh->ok());
  REQUIRE(en->ok());
  const std::string a = ir::print_module(*zh->module);
  const std::string b = ir::print_module(*en->module);
  CHECK(a.size() > 1000);  // a real module, not an empty one
  CHECK(a == b);
}
