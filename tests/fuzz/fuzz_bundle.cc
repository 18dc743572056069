// A bundle as an attacker would make one: any bytes, with the digest
// recomputed so the digest check lets it through (parse_bundle, then
// module_digest). What the verifier accepts is decided and explained in
// every jurisdiction it declares (up to four) for households that fit the
// seeds' schemas; nothing it accepts may crash, hang or read out of bounds.
#include <string_view>

#include "runtime/bundle/bundle.h"
#include "tests/fuzz/exercise.h"
#include "tests/fuzz/fuzz_target.h"

namespace {

// Households for the seed bundles' schemas (Huining, the log fixture, the
// embedding example); a bundle with another schema is still verified.
constexpr std::string_view kHouseholds[] = {
    R"({"户籍":"城市","成员":[{"年龄":45,"工资性收入":1900},{"年龄":70,"残疾等级":1}],"财产符合规定":true})",
    R"({"成员":[{"收入":100}]})",
    R"({"成员":[{"年龄":63,"收入":100},{"年龄":35}]})",
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace doudi;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string stated, error;
  auto parsed = parse_bundle(text, stated, error);
  if (!parsed) return 0;
  (void)module_digest(*parsed);  // what an attacker would write as "digest"
  auto module = std::make_shared<const ir::Module>(std::move(*parsed));
  std::vector<Diagnostic> errors;
  auto rules = RuleSet::from_module(module, "fuzz.bundle", errors);
  if (!rules) return 0;
  const auto& m = rules->module();
  for (size_t j = 0; j < m.jurisdictions.size() && j < 4; ++j) {
    auto context = rules->context(m.jurisdictions[j].name, "2022-06", errors);
    if (!context) continue;
    for (std::string_view h : kHouseholds) {
      const LoadedRecord household = load_household(*rules, h);
      if (household.ok()) fuzz::decide_and_explain(rules, *context, household.data);
    }
  }
  return 0;
}
