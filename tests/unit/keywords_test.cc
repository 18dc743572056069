#include <doctest/doctest.h>

#include <set>

#include "compiler/ast/keywords.h"
#include "compiler/parse/keyword_tokens.h"

using namespace doudi;

TEST_CASE("every keyword of keywords.def lexes as one keyword token in both dialects") {
  std::set<size_t> zh_types;
  for (int k = 0; k <= static_cast<int>(Keyword::Days); ++k) {
    const auto kw = static_cast<Keyword>(k);
    const size_t zh = parse_detail::token_type_for_keyword(kw, Dialect::Zh);
    const size_t en = parse_detail::token_type_for_keyword(kw, Dialect::En);
    INFO("keyword: ", keyword_text(kw, Dialect::Zh));
    CHECK(zh != 0);
    if (kw != Keyword::NotIn) CHECK(zh == en);  // `not in` is two English words
    CHECK(zh_types.insert(zh).second);           // no two keywords share a token
    CHECK(parse_detail::keyword_for_token_type(zh) == kw);
  }
}

TEST_CASE("spellings belong to their dialect; symbols and CJK units to both") {
  const size_t in = parse_detail::token_type_for_keyword(Keyword::In, Dialect::Zh);
  CHECK(parse_detail::spelling_dialect(in, "属于") == Dialect::Zh);
  CHECK(parse_detail::spelling_dialect(in, "in") == Dialect::En);
  CHECK_FALSE(parse_detail::spelling_dialect(in, "∈").has_value());
  const size_t ym = parse_detail::token_type_for_keyword(Keyword::YuanPerMonth, Dialect::Zh);
  CHECK_FALSE(parse_detail::spelling_dialect(ym, "元/月").has_value());
  CHECK(parse_detail::spelling_dialect(ym, "yuan/month") == Dialect::En);
}
