#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "compiler/parse/token_listing.h"

// LexingStream shows ANTLR's lexer an ASCII twin in place of most non-ASCII
// characters; the tokens must be exactly those of the plain stream: type,
// channel, where they start and stop, and their text.

namespace {

using doudi::parse_detail::token_listing;

bool is_utf8(const std::string& text) {
  try {
    token_listing(text, false);
    return true;
  } catch (const std::range_error&) {
    return false;
  }
}

void same_tokens(const std::string& text) { CHECK(token_listing(text, true) == token_listing(text, false)); }

}  // namespace

TEST_CASE("the lexer makes the same tokens from the ASCII twins as from the text") {
  // Keywords next to identifiers, units, full-width digits and punctuation,
  // strings and citations with and without their end, comments, stray marks.
  const char* samples[] = {
      "规则甲 规则 定义 城市低保标准 : 金额 = 700 元/月 【会民发〔2022〕63号 一(三)】\n",
      "人均收入 ≥ 城市低保标准 且 人均收入 ≤ 1.5 × 城市低保标准 # 注释：“1-1.5 倍”。\n",
      "解释 \"取闭区间：\\\"等于\\\"也算\" “中文引号里的 # 不是注释” 【未闭合\n下一行 ２０２３年１月１日 ２０２３－０１－０１\n",
      "\"未闭合的字符串 # 注释吗？\n“未闭合的中文引号\n元／人·月 元/人/年 个月 天 日 号 ％ ５０％ ．５\n",
      "不属于 属于 ∈ ∉ ≠ ＜ ＞ ＝ ？？ ？ （）｛｝［］：，、；－−＋ 。 ・ · ① 〇 Ⅻ ｘ 𠀀 😀 \u3000 \u00a0\n",
      ("rule default exception when then overrides flag test month expect note sensitive signed provision "
       "true false and or not in sum any all count max min if else list last_year as_of yuan/month\n"),
  };
  for (const char* s : samples) {
    INFO(s);
    same_tokens(s);
  }
}

TEST_CASE("the lexer makes the same tokens from the ASCII twins for every shipped rule file and fuzz input") {
  namespace fs = std::filesystem;
  size_t files = 0;
  // The fuzzers' regression inputs for the front end are rule text too.
  for (const char* dir : {"stdlib-policies", "examples", "tests"}) {
    for (const auto& entry : fs::recursive_directory_iterator(fs::path(DOUDI_SOURCE_DIR) / dir)) {
      const bool fuzz_input = entry.path().parent_path().filename() == "front_end";
      if (!entry.is_regular_file() || (entry.path().extension() != ".doudi" && !fuzz_input)) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::ostringstream text;
      text << in.rdbuf();
      if (!is_utf8(text.str())) continue;
      INFO(entry.path().string());
      same_tokens(text.str());
      ++files;
    }
  }
  CHECK(files > 50);
}
