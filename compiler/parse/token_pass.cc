#include "compiler/parse/token_pass.h"

#include <algorithm>
#include <string_view>

#include "ANTLRInputStream.h"
#include "CommonToken.h"
#include "DoudiLexer.h"
#include "compiler/parse/literal_forms.h"

namespace doudi::parse_detail {
namespace {

using L = doudi_gen::DoudiLexer;

bool is_ascii_word(const std::string& text) {
  for (unsigned char c : text)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '/')) return false;
  return !text.empty();
}

bool is_keyword_type(size_t type) {
  return (type >= L::KW_LANGUAGE && type <= L::KW_ASOF) || type == L::YUAN || type == L::YUAN_M ||
         type == L::YUAN_Y || type == L::U_MONTHS || type == L::U_DAYS;
}

// After these tokens an expression starts, so `[` opens a list; after any
// other token `[` opens an English citation.
bool expression_may_start_after(size_t type) {
  switch (type) {
    case L::EQ: case L::COLON: case L::COMMA: case L::LPAREN: case L::LBRACK: case L::LBRACE:
    case L::SEMI: case L::PLUS: case L::MINUS: case L::TIMES: case L::DIVIDE: case L::LT:
    case L::LE: case L::GT: case L::GE: case L::NE: case L::QQ: case L::KW_IN: case L::KW_NOTIN:
    case L::KW_AND: case L::KW_OR: case L::KW_NOT: case L::KW_IF: case L::KW_THEN: case L::KW_ELSE:
    case L::KW_WHEN: case L::KW_ASOF:
      return true;
    default:
      return false;
  }
}

Span span_of(const antlr4::Token& t, const std::vector<uint32_t>& cp, FileId file) {
  const size_t start = t.getStartIndex();
  const size_t stop = t.getStopIndex();
  const uint32_t b = cp[std::min(start, cp.size() - 1)];
  const uint32_t e = cp[std::min(stop + 1, cp.size() - 1)];
  return Span{file, b, e};
}

}  // namespace

size_t lex_single(const std::string& text) {
  antlr4::ANTLRInputStream in(text);
  L lexer(&in);
  lexer.removeErrorListeners();
  auto toks = lexer.getAllTokens();
  return toks.size() == 1 ? toks[0]->getType() : 0;
}

size_t token_type_for_keyword(Keyword k, Dialect d) {
  const std::string text(keyword_text(k, d));
  if (k == Keyword::NotIn && d == Dialect::En) return L::KW_NOT;  // two words: not in
  return lex_single(text);
}

std::optional<Keyword> keyword_for_token_type(size_t type) {
  static const std::vector<std::optional<Keyword>> table = [] {
    std::vector<std::optional<Keyword>> t(L::STRAY + 1);
#define KW(name, zh, en)                                          \
  if (size_t ty = lex_single(zh); ty < t.size() && !t[ty]) t[ty] = Keyword::name;
#include "compiler/ast/keywords.def"
#undef KW
    return t;
  }();
  if (type >= table.size()) return std::nullopt;
  return table[type];
}

std::mutex& antlr_mutex() {
  static std::mutex m;
  return m;
}

std::vector<uint32_t> code_point_offsets(const std::string& text) {
  std::vector<uint32_t> out;
  out.reserve(text.size() + 1);
  for (uint32_t i = 0; i < text.size(); ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) out.push_back(i);
  out.push_back(static_cast<uint32_t>(text.size()));
  return out;
}

std::optional<Dialect> spelling_dialect(size_t type, const std::string& text) {
  if (!is_keyword_type(type)) return std::nullopt;
  if (text == "∈" || text == "∉") return std::nullopt;
  // CJK unit spellings (元/月, 个月, 天) read the same in both dialects.
  if (type == L::YUAN || type == L::YUAN_M || type == L::YUAN_Y || type == L::U_MONTHS || type == L::U_DAYS)
    return is_ascii_word(text) ? std::optional<Dialect>(Dialect::En) : std::nullopt;
  return is_ascii_word(text) ? Dialect::En : Dialect::Zh;
}

TokenPassResult run_token_pass(std::vector<std::unique_ptr<antlr4::Token>> raw, const std::string& text,
                               const std::vector<uint32_t>& cp, FileId file, DiagSink& diags) {
  TokenPassResult out;

  // The header decides the dialect: 语言 中文 / language en.
  size_t first = 0;
  while (first < raw.size() && raw[first]->getChannel() != antlr4::Token::DEFAULT_CHANNEL) ++first;
  bool header_ok = false;
  if (first + 1 < raw.size() && raw[first]->getType() == L::KW_LANGUAGE) {
    const std::string lang = raw[first + 1]->getText();
    if (lang == "中文" || lang == "zh") {
      out.dialect = Dialect::Zh;
      header_ok = true;
    } else if (lang == "en" || lang == "英文" || lang == "English") {
      out.dialect = Dialect::En;
      header_ok = true;
    } else {
      diags.report(DiagCode::E0004, span_of(*raw[first + 1], cp, file), {lang});
      header_ok = true;  // reported; do not also report E0003
    }
  }
  if (!header_ok) {
    Span at = first < raw.size() ? span_of(*raw[first], cp, file) : Span{file, 0, 0};
    diags.report(DiagCode::E0003, at);
  }

  // 【】 or [ ] names no clause: as good as no citation, so say so.
  auto check_citation = [&](const antlr4::Token& tok) {
    const std::string t = tok.getText();
    const size_t open = t.rfind("【", 0) == 0 ? std::string("【").size() : 1;
    const size_t close = t.size() >= 3 && t.compare(t.size() - 3, 3, "】") == 0 ? 3 : 1;
    if (t.size() < open + close || t.find_first_not_of(" \t　", open) >= t.size() - close)
      diags.report(DiagCode::W0302, span_of(tok, cp, file));
  };
  int depth = 0;
  size_t last_type = 0;
  for (size_t i = 0; i < raw.size(); ++i) {
    auto& tok = raw[i];
    if (tok->getChannel() != antlr4::Token::DEFAULT_CHANNEL) {
      if (tok->getType() == L::COMMENT)
        out.comments.push_back({tok->getText(), span_of(*tok, cp, file)});
      continue;
    }
    const size_t type = tok->getType();
    if (type == L::STRAY && tok->getText() == "【") {
      // A citation opened and not closed on its line (the lexer's citation
      // token needs both brackets): one error, and the rest of the line is
      // the citation's text, not code to report again.
      diags.report(DiagCode::E0013, span_of(*tok, cp, file));
      out.stray_offsets.push_back(span_of(*tok, cp, file).begin);
      while (i + 1 < raw.size() && raw[i + 1]->getLine() == tok->getLine()) ++i;
      continue;
    }
    // A date or number not written as this file's dialect accepts: reported
    // once here, like a stray character, and the item's syntax errors (and
    // an invalid date's E0008), which would only repeat it, are suppressed.
    const bool chinese_form_in_english = out.dialect == Dialect::En && spelled_the_chinese_way(tok->getText()) &&
        (type == L::NUMBER || type == L::PERCENT || type == L::DATE || type == L::YEARMONTH);
    if (type == L::BAD_DATE || chinese_form_in_english) {
      const Span sp = span_of(*tok, cp, file);
      if (type == L::BAD_DATE)
        diags.report(DiagCode::E0014, sp, {tok->getText(), date_form_to_write(tok->getText(), out.dialect)});
      else if (type == L::DATE || type == L::YEARMONTH)
        diags.report(DiagCode::E0015, sp, {tok->getText(), date_form_to_write(tok->getText(), Dialect::En)});
      else
        diags.report(DiagCode::E0015, sp, {tok->getText(), "`" + canonical_literal(tok->getText()) + "`"});
      out.stray_offsets.push_back(sp.begin);
      continue;
    }
    if (type == L::STRAY) {
      // A run of unknown characters (＠＠＠, 😀😀) is one error, not one per
      // character.
      Span sp = span_of(*tok, cp, file);
      std::string run = tok->getText();
      while (i + 1 < raw.size() && raw[i + 1]->getType() == L::STRAY && raw[i + 1]->getText() != "【" &&
             raw[i + 1]->getStartIndex() == raw[i]->getStopIndex() + 1) {
        ++i;
        run += raw[i]->getText();
        sp.end = span_of(*raw[i], cp, file).end;
      }
      diags.report(DiagCode::E0002, sp, {run});
      out.stray_offsets.push_back(sp.begin);
      continue;
    }
    auto* common = dynamic_cast<antlr4::CommonToken*>(tok.get());
    const bool is_header_word = i == first || i == first + 1;
    if (!is_header_word && common != nullptr) {
      if (auto d = spelling_dialect(type, tok->getText()); d && *d != out.dialect)
        common->setType(L::IDENT);
      // After `.` (a field, a module path) or as a module name, a keyword
      // can only be meant as a name: `家庭.人数`, `模块 会宁县.测试`.
      else if (is_keyword_type(type) && (last_type == L::DOT || last_type == L::KW_MODULE || last_type == L::KW_IMPORT))
        common->setType(L::IDENT);
    }
    if (type == L::LBRACK && tok->getText() == "[" && common != nullptr && !expression_may_start_after(last_type)) {
      // An English citation: everything up to the next `]` on this line.
      const uint32_t open_byte = cp[tok->getStartIndex()];
      size_t close = open_byte;
      while (close < text.size() && text[close] != ']' && text[close] != '\n') ++close;
      if (close < text.size() && text[close] == ']') {
        // Find the code point index of `close`.
        const auto it = std::lower_bound(cp.begin(), cp.end(), static_cast<uint32_t>(close));
        const size_t close_cp = static_cast<size_t>(it - cp.begin());
        common->setType(L::CITATION);
        common->setText(text.substr(open_byte, close + 1 - open_byte));
        common->setStopIndex(close_cp);
        size_t j = i + 1;
        while (j < raw.size() && raw[j]->getStartIndex() <= close_cp) ++j;
        check_citation(*tok);
        out.tokens.push_back(std::move(tok));
        last_type = L::CITATION;
        i = j - 1;
        continue;
      }
    }
    if (type == L::LPAREN || type == L::LBRACK || type == L::LBRACE) {
      if (++depth > 100 && !out.too_deep) {
        out.too_deep = true;
        diags.report(DiagCode::E0010, span_of(*tok, cp, file));
      }
    } else if (type == L::RPAREN || type == L::RBRACK || type == L::RBRACE) {
      --depth;
    }
    if (type == L::CITATION) check_citation(*tok);
    last_type = tok->getType();
    out.tokens.push_back(std::move(tok));
  }
  return out;
}

}  // namespace doudi::parse_detail
