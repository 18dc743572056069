#include "compiler/parse/token_classes.h"

#include <algorithm>

#include "DoudiLexer.h"
#include "compiler/parse/lexing_stream.h"
#include "compiler/parse/parser.h"
#include "compiler/parse/token_pass.h"
#include "runtime/source/utf8.h"

namespace doudi {

using L = doudi_gen::DoudiLexer;
using parse_detail::antlr_mutex;

namespace {

bool classed(size_t type, TokenClass& cls) {
  if (type >= L::KW_LANGUAGE && type <= L::KW_ASOF) cls = TokenClass::Keyword;
  else if (type == L::YUAN_M || type == L::YUAN_Y || type == L::YUAN || type == L::U_MONTHS || type == L::U_DAYS) cls = TokenClass::Unit;
  else if (type == L::DATE || type == L::YEARMONTH || type == L::BAD_DATE) cls = TokenClass::Date;
  else if (type == L::NUMBER || type == L::PERCENT) cls = TokenClass::Number;
  else if (type == L::STRING) cls = TokenClass::String;
  else if (type == L::CITATION) cls = TokenClass::Citation;
  else if (type == L::IDENT) cls = TokenClass::Name;
  else if (type == L::PLUS || type == L::MINUS || type == L::TIMES || type == L::DIVIDE || type == L::LE || type == L::GE ||
           type == L::NE || type == L::LT || type == L::GT || type == L::EQ || type == L::QQ)
    cls = TokenClass::Operator;
  else return false;
  return true;
}

}  // namespace

std::vector<ClassedToken> classify_tokens(const std::string& text) {
  std::vector<ClassedToken> out;
  if (text.size() > kMaxRuleFileBytes || find_invalid_utf8(text)) return out;
  std::lock_guard lock(antlr_mutex());
  try {
    const auto cp = parse_detail::code_point_offsets(text);
    parse_detail::LexingStream input(text);
    L lexer(&input);
    lexer.removeErrorListeners();
    DiagSink ignored;  // the problems are the diagnostics' to report
    auto pass = parse_detail::run_token_pass(lexer.getAllTokens(), text, cp, 0, ignored);
    auto at = [&](size_t cp_index) { return cp[std::min(cp_index, cp.size() - 1)]; };
    for (const auto& t : pass.tokens) {
      TokenClass cls;
      if (t->getType() == antlr4::Token::EOF || !classed(t->getType(), cls)) continue;
      out.push_back({at(t->getStartIndex()), at(t->getStopIndex() + 1), cls});
    }
    for (const auto& c : pass.comments) out.push_back({c.span.begin, c.span.end, TokenClass::Comment});
    std::sort(out.begin(), out.end(), [](const ClassedToken& a, const ClassedToken& b) { return a.begin < b.begin; });
  } catch (...) {
    // ANTLR throws on what it cannot lex (a deeply odd file): no colours, no crash.
    out.clear();
  }
  return out;
}

bool is_one_name(const std::string& text) {
  if (text.empty() || text.size() > 1024 || find_invalid_utf8(text)) return false;
  {
    // A keyword of the other dialect reads as a name in a file of this one:
    // both dialects' keywords are refused outright.
    std::lock_guard lock(antlr_mutex());
    if (parse_detail::keyword_for_token_type(parse_detail::lex_single(text)).has_value()) return false;
  }
  const auto tokens = classify_tokens(text);
  return tokens.size() == 1 && tokens[0].cls == TokenClass::Name && tokens[0].begin == 0 && tokens[0].end == text.size();
}

}  // namespace doudi
