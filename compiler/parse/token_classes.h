// The tokens of a rule file classed for colouring (an editor's semantic
// tokens): keywords of either dialect, units, dates, numbers, texts,
// citations, comments, names and operators, as the parser's lexer and token
// pass see them. No ANTLR type appears here.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace doudi {

enum class TokenClass : uint8_t { Keyword, Unit, Date, Number, String, Citation, Comment, Name, Operator };

struct ClassedToken {
  uint32_t begin = 0, end = 0;  // byte offsets
  TokenClass cls = TokenClass::Name;
};

// In the order of the text; a file the lexer cannot read at all (not UTF-8,
// too large) gives none.
std::vector<ClassedToken> classify_tokens(const std::string& text);

// Whether `text` is exactly one name as the lexer reads one (not a keyword
// of either dialect, not two names, not a number).
bool is_one_name(const std::string& text);

}  // namespace doudi
