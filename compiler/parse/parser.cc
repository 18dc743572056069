#include "compiler/parse/parser.h"

#include <fmt/format.h>

#include <cctype>
#include <mutex>

#include "DoudiLexer.h"
#include "DoudiParser.h"
#include "ListTokenSource.h"
#include "antlr4-runtime.h"
#include "compiler/ast/keywords.h"
#include "compiler/parse/ast_builder.h"
#include "compiler/parse/lexing_stream.h"
#include "compiler/parse/literal_forms.h"
#include "compiler/parse/token_pass.h"
#include "runtime/source/utf8.h"

namespace doudi {
namespace {

using L = doudi_gen::DoudiLexer;
using namespace parse_detail;

constexpr size_t kMaxSyntaxErrors = 20;

// ANTLR's two-stage parse: SLL prediction, which its DFA caches, bailing out
// at the first error; only then the full LL prediction, which is not cached
// and was a fifth of an editor's check, with the error listener. ANTLR
// promises that an SLL parse that succeeds is the parse LL would give; one
// that fails may be a real error or need LL, so it is parsed again.
doudi_gen::DoudiParser::SingleItemContext* parse_item(doudi_gen::DoudiParser& parser, antlr4::CommonTokenStream& tokens,
                                                      antlr4::ANTLRErrorListener& listener) {
  auto* simulator = parser.getInterpreter<antlr4::atn::ParserATNSimulator>();
  parser.removeErrorListeners();
  parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
  simulator->setPredictionMode(antlr4::atn::PredictionMode::SLL);
  try {
    return parser.singleItem();
  } catch (const antlr4::ParseCancellationException&) {
  }
  tokens.seek(0);
  parser.reset();
  parser.addErrorListener(&listener);
  parser.setErrorHandler(std::make_shared<antlr4::DefaultErrorStrategy>());
  simulator->setPredictionMode(antlr4::atn::PredictionMode::LL);
  return parser.singleItem();
}

// How a token type reads in a message, in the file's dialect.
std::string describe_token_type(size_t type, const antlr4::dfa::Vocabulary& vocab, Dialect dialect) {
  switch (type) {
    case L::IDENT: return bilingual("名称", "a name");
    case L::NUMBER: return bilingual("数字", "a number");
    case L::PERCENT: return bilingual("百分比", "a percentage");
    case L::DATE: return bilingual("日期", "a date");
    case L::YEARMONTH: return bilingual("年月", "a year-month");
    case L::STRING: return bilingual("文字", "a string");
    case L::CITATION: return bilingual("出处【…】", "a citation");
    case antlr4::Token::EOF: return bilingual("文件结尾", "end of file");
    default: break;
  }
  if (auto kw = keyword_for_token_type(type)) return fmt::format("`{}`", keyword_text(*kw, dialect));
  static const std::pair<size_t, const char*> kPunct[] = {
      {L::LPAREN, "("}, {L::RPAREN, ")"}, {L::LBRACE, "{"}, {L::RBRACE, "}"}, {L::LBRACK, "["}, {L::RBRACK, "]"},
      {L::COLON, ":"}, {L::COMMA, ","}, {L::SEMI, ";"}, {L::DOT, "."}, {L::QQ, "??"}, {L::QUESTION, "?"},
      {L::PLUS, "+"}, {L::MINUS, "-"}, {L::TIMES, "×"}, {L::DIVIDE, "÷"}, {L::LE, "≤"}, {L::GE, "≥"},
      {L::NE, "≠"}, {L::LT, "<"}, {L::GT, ">"}, {L::EQ, "="}};
  for (const auto& [t, text] : kPunct)
    if (t == type) return fmt::format("`{}`", text);
  std::string lit = vocab.getLiteralName(type);
  if (lit.size() >= 2) lit = lit.substr(1, lit.size() - 2);
  if (lit.empty()) lit = vocab.getSymbolicName(type);
  return fmt::format("`{}`", lit);
}

class SyntaxErrorListener : public antlr4::BaseErrorListener {
 public:
  SyntaxErrorListener(DiagSink& diags, const std::vector<uint32_t>& cp, FileId file, Dialect dialect)
      : diags_(diags), cp_(cp), file_(file), dialect_(dialect) {}

  // Called once per item: only the first error of an item is reported, as
  // later ones are almost always the parser's recovery guessing.
  void start_chunk() { reported_in_chunk_ = false; }
  void suppress_chunk() { reported_in_chunk_ = true; }

  void syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* offending, size_t, size_t,
                   const std::string&, std::exception_ptr) override {
    ++count_;
    if (reported_in_chunk_) return;
    reported_in_chunk_ = true;
    if (count_ > kMaxSyntaxErrors) {
      if (count_ == kMaxSyntaxErrors + 1) diags_.report(DiagCode::E0011, span_of(offending));
      return;
    }
    auto* parser = dynamic_cast<antlr4::Parser*>(recognizer);
    const Span span = span_of(offending);
    // A word of the other dialect is the likeliest cause; say so directly.
    if (offending != nullptr && offending->getType() == L::IDENT) {
      const std::string text = offending->getText();
      for (size_t t = L::KW_LANGUAGE; t <= L::U_DAYS; ++t) {
        if (!keyword_spelled(t, text)) continue;
        if (auto d = parse_detail::spelling_dialect(t, text); d && *d != dialect_) {
          diags_.report(DiagCode::E0005, span,
                        {text, *d == Dialect::En ? bilingual("英文", "English") : bilingual("中文", "Chinese"),
                         dialect_ == Dialect::En ? bilingual("英文", "English") : bilingual("中文", "Chinese")});
          return;
        }
      }
    }
    std::string found = offending == nullptr || offending->getType() == antlr4::Token::EOF
                            ? bilingual("文件结尾", "end of file")
                            : fmt::format("`{}`", offending->getText());
    std::string expected;
    if (parser != nullptr) {
      const auto set = parser->getExpectedTokens();
      std::vector<std::string> names;
      for (size_t t : set.toList()) {
        if (t == L::STRAY || t == L::COMMENT || t == L::WS) continue;
        names.push_back(describe_token_type(t, parser->getVocabulary(), dialect_));
      }
      const bool expression = set.contains(size_t{L::NUMBER}) && set.contains(size_t{L::IDENT}) && set.contains(size_t{L::LPAREN});
      if (expression) {
        expected = bilingual("表达式", "an expression");
      } else if (names.empty() || names.size() > 8) {
        expected = bilingual("其他内容", "something else");
      } else {
        std::string zh, en;
        for (size_t i = 0; i < names.size(); ++i) {
          const auto bar = names[i].find('\x1f');
          const std::string z = bar == std::string::npos ? names[i] : names[i].substr(0, bar);
          const std::string e = bar == std::string::npos ? names[i] : names[i].substr(bar + 1);
          zh += (i ? "、" : "") + z;
          en += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + e;
        }
        expected = bilingual(zh, en);
      }
    }
    auto& d = diags_.report(DiagCode::E0001, span, {found, expected});
    if (offending == nullptr) return;
    const std::string text = offending->getText();
    // Where only a date or only a year-month can stand, show its form:
    // `自 2022年6月` needs the day, `自 2022/6/1` the separators.
    if (parser != nullptr) {
      const auto set = parser->getExpectedTokens();
      const bool date = set.contains(size_t{L::DATE}), month = set.contains(size_t{L::YEARMONTH});
      if (date != month) {
        std::string form;
        const size_t got = offending->getType();
        std::string slashed = text;  // 2022/6/1 lexes as 2022 ÷ 6 ÷ 1
        if (got == L::NUMBER)
          for (int k = 2; k + 1 <= 5; k += 2) {
            const antlr4::Token* op = parser->getTokenStream()->LT(k);
            const antlr4::Token* part = parser->getTokenStream()->LT(k + 1);
            if (op == nullptr || part == nullptr || op->getType() != L::DIVIDE || part->getType() != L::NUMBER ||
                op->getText() != "/")
              break;
            slashed += "/" + part->getText();
          }
        if (got == L::YEARMONTH || got == L::DATE || slashed != text) form = intended_form(slashed, date, dialect_);
        if (form.empty()) form = date ? date_example(dialect_) : month_form_to_write(dialect_);
        d.notes.push_back(make_note(date ? DiagCode::N0418 : DiagCode::N0419, Span{}, {form}));
        return;
      }
    }
    // `1,000 元/月`: a thousands separator, written as documents print
    // amounts. The number meant is shown; no separator is read.
    if ((text == "," || text == "，") && parser != nullptr) {
      auto* tokens = parser->getTokenStream();
      const antlr4::Token* before = tokens->LT(-1);
      auto digits_only = [](const std::string& g, size_t lo, size_t hi) {
        size_t n = 0;
        while (n < g.size() && std::isdigit(static_cast<unsigned char>(g[n]))) ++n;
        return n >= lo && n <= hi && (n == g.size() || (g[n] == '.' && n == 3 && hi == 3));
      };
      auto touches = [](const antlr4::Token* a, const antlr4::Token* b) {
        return a != nullptr && b != nullptr && a->getStopIndex() + 1 == b->getStartIndex();
      };
      // 1,000 and 1,234,567.50: a leading run of one to three digits, then
      // groups of exactly three, each right after its comma, a decimal part
      // only on the last; anything else gets no guess.
      if (before != nullptr && before->getType() == L::NUMBER && tokens->LT(1) == offending && touches(before, offending) &&
          digits_only(before->getText(), 1, 3) && before->getText().find('.') == std::string::npos) {
        std::string digits = before->getText();
        bool complete = false;
        for (int k = 1;; k += 2) {  // LT(k) a comma, LT(k + 1) its group
          const antlr4::Token* comma = tokens->LT(k);
          const antlr4::Token* group = tokens->LT(k + 1);
          if (group == nullptr || group->getType() != L::NUMBER || !touches(comma, group) ||
              !digits_only(group->getText(), 3, 3))
            break;
          digits += group->getText();
          const antlr4::Token* next = tokens->LT(k + 2);
          const bool more = next != nullptr && (next->getText() == "," || next->getText() == "，") && touches(group, next);
          if (group->getText().find('.') != std::string::npos) {
            complete = !more;
            break;
          }
          if (!more) {
            complete = true;
            break;
          }
        }
        if (complete) {
          d.notes.push_back(make_note(DiagCode::N0421, Span{}, {digits}));
          return;
        }
      }
    }
    // A keyword where a name was expected (`日`, `人数` as field names).
    if (parser != nullptr && parser->getExpectedTokens().contains(size_t{L::IDENT}) && keyword_for_token_type(offending->getType())) {
      d.notes.push_back(make_note(DiagCode::N0404, Span{}, {text}));
      return;
    }
    // A Chinese keyword glued to a name or a date lexes as one identifier:
    // `且城市低保标准`, `自2022年6月1日`.
    if (offending->getType() == L::IDENT) {
      for (int k = 0; k <= static_cast<int>(Keyword::Days); ++k) {
        const std::string kw(keyword_text(static_cast<Keyword>(k), Dialect::Zh));
        if (text.size() <= kw.size() || text.compare(0, kw.size(), kw) != 0) continue;
        const size_t rest = lex_single(text.substr(kw.size()));
        if (rest == L::IDENT || rest == L::DATE || rest == L::YEARMONTH) {
          d.notes.push_back(make_note(DiagCode::N0402, Span{}, {kw + " " + text.substr(kw.size())}));
          return;
        }
      }
    }
  }

  size_t count() const { return count_; }

 private:
  bool keyword_spelled(size_t type, const std::string& text) const { return lex_single(text) == type; }

  Span span_of(antlr4::Token* t) const {
    if (t == nullptr || t->getType() == antlr4::Token::EOF) {
      const uint32_t end = cp_.back();
      return Span{file_, end, end};
    }
    const size_t start = std::min<size_t>(t->getStartIndex(), cp_.size() - 1);
    const size_t stop = std::min<size_t>(t->getStopIndex() + 1, cp_.size() - 1);
    return Span{file_, cp_[start], cp_[stop]};
  }

  DiagSink& diags_;
  const std::vector<uint32_t>& cp_;
  FileId file_;
  Dialect dialect_;
  size_t count_ = 0;
  bool reported_in_chunk_ = false;
};

// Tokens after which the parser recurses (prefix operators, 若, aggregations).
bool recurses(size_t type) {
  switch (type) {
    case L::MINUS: case L::KW_NOT: case L::KW_IF: case L::KW_SUM: case L::KW_EXISTS: case L::KW_ALL:
    case L::KW_MAX: case L::KW_MIN: case L::KW_COUNT: case L::KW_ASOF:
      return true;
    default:
      return false;
  }
}
constexpr size_t kMaxRecursingTokens = 300;
// A policy's largest file is tens of kilobytes and its largest declaration a
// few hundred tokens; the parser's memory grows with both (a 4 MB `1 + 1 + …`
// line took over a gigabyte before the depth guard), so both are bounded
// before ANTLR sees them.
constexpr size_t kMaxItemTokens = 10000;

bool starts_item(size_t type) {
  switch (type) {
    case L::KW_MODULE: case L::KW_IMPORT: case L::KW_ENUM: case L::KW_STRUCT: case L::KW_INPUT: case L::KW_PARAM:
    case L::KW_JURIS: case L::KW_CONSTRAINT: case L::KW_DEF: case L::KW_RULE: case L::KW_FLAG: case L::KW_TEST:
      return true;
    default:
      return false;
  }
}

// Splits the token list into the header and one chunk per item. An item
// starts at an item keyword that begins a line outside braces (inside braces
// only 参数, which test blocks use, is not a new item).
std::vector<std::vector<std::unique_ptr<antlr4::Token>>> split_items(std::vector<std::unique_ptr<antlr4::Token>> tokens) {
  std::vector<std::vector<std::unique_ptr<antlr4::Token>>> chunks(1);
  int depth = 0;
  size_t last_line = 0;
  bool test_header = false;
  for (auto& t : tokens) {
    const size_t type = t->getType();
    const bool line_start = t->getLine() != last_line;
    last_line = t->getLine();
    if (line_start && starts_item(type) && (depth == 0 || type != L::KW_PARAM) &&
        !(test_header && type == L::KW_JURIS)) {
      chunks.emplace_back();
      depth = 0;
      test_header = type == L::KW_TEST;
    }
    if (type == L::LBRACE || type == L::LPAREN || type == L::LBRACK) {
      ++depth;
      test_header = false;
    } else if (type == L::RBRACE || type == L::RPAREN || type == L::RBRACK) {
      depth = std::max(0, depth - 1);
    }
    chunks.back().push_back(std::move(t));
  }
  return chunks;
}

}  // namespace

std::optional<ast::File> parse_file(const SourceManager& sm, FileId file, DiagSink& diags) {
  const std::string& text = sm.file(file).text();
  if (auto bad = find_invalid_utf8(text)) {
    diags.report(DiagCode::E0006, Span{file, static_cast<uint32_t>(*bad), static_cast<uint32_t>(*bad)},
                 {std::to_string(*bad + 1)});  // counted from 1, as the service and editors count
    return std::nullopt;
  }
  // Control characters have no place in rule text, and inside a citation or
  // a string they would reach terminals and notices (ESC clears a screen).
  for (size_t i = 0; i < text.size(); ++i) {
    const auto ch = static_cast<unsigned char>(text[i]);
    if ((ch < 0x20 && ch != '\n' && ch != '\r' && ch != '\t') || ch == 0x7f) {
      diags.report(DiagCode::E0017, Span{file, static_cast<uint32_t>(i), static_cast<uint32_t>(i + 1)},
                   {fmt::format("U+{:04X}", ch)});
      return std::nullopt;
    }
  }
  if (text.size() > kMaxRuleFileBytes) {
    diags.report(DiagCode::E0018, Span{file, 0, 0},
                 {bilingual(fmt::format("规则文件有 {} 字节，至多 {} 字节；请把它拆成几个模块", text.size(), kMaxRuleFileBytes),
                            fmt::format("the rule file has {} bytes, and at most {} are allowed; split it into modules",
                                        text.size(), kMaxRuleFileBytes))});
    return std::nullopt;
  }
  const size_t errors_before = diags.error_count();
  // Compilations may run on several threads (the service's /v1/check and
  // /v1/test requests), so one file is parsed at a time (antlr_mutex);
  // parsing is a few milliseconds of a compile.
  std::lock_guard antlr_lock(antlr_mutex());
  try {
    const auto cp = code_point_offsets(text);
    LexingStream input(text);
    L lexer(&input);
    lexer.removeErrorListeners();
    auto pass = run_token_pass(lexer.getAllTokens(), text, cp, file, diags);
    if (pass.too_deep) return std::nullopt;

    ast::File out;
    out.file = file;
    out.dialect = pass.dialect;
    SyntaxErrorListener listener(diags, cp, file, pass.dialect);
    auto chunks = split_items(std::move(pass.tokens));
    size_t stray_items = 0;
    for (size_t i = 0; i < chunks.size(); ++i) {
      if (chunks[i].empty()) continue;
      size_t recursing = 0;
      for (const auto& t : chunks[i]) recursing += recurses(t->getType());
      if (chunks[i].size() > kMaxItemTokens) {
        const auto& t = *chunks[i].front();
        const uint32_t b = cp[std::min<size_t>(t.getStartIndex(), cp.size() - 1)];
        const uint32_t e = cp[std::min<size_t>(t.getStopIndex() + 1, cp.size() - 1)];
        diags.report(DiagCode::E0018, Span{file, b, e},
                     {bilingual(fmt::format("这一项声明有 {} 个记号，至多 {} 个；请拆分", chunks[i].size(), kMaxItemTokens),
                                fmt::format("this declaration has {} tokens, and at most {} are allowed; split it",
                                            chunks[i].size(), kMaxItemTokens))});
        ++stray_items;
        continue;
      }
      if (recursing > kMaxRecursingTokens) {
        // Bounded before ANTLR sees it: its recursive descent would follow.
        const auto& t = *chunks[i].front();
        const uint32_t b = cp[std::min<size_t>(t.getStartIndex(), cp.size() - 1)];
        const uint32_t e = cp[std::min<size_t>(t.getStopIndex() + 1, cp.size() - 1)];
        diags.report(DiagCode::E0010, Span{file, b, e});
        ++stray_items;
        continue;
      }
      const size_t before = listener.count();
      const uint32_t first = cp[std::min<size_t>(chunks[i].front()->getStartIndex(), cp.size() - 1)];
      const uint32_t last = cp[std::min<size_t>(chunks[i].back()->getStopIndex() + 1, cp.size() - 1)];
      antlr4::ListTokenSource source(std::move(chunks[i]));
      antlr4::CommonTokenStream tokens(&source);
      doudi_gen::DoudiParser parser(&tokens);
      parser.removeErrorListeners();
      parser.addErrorListener(&listener);
      listener.start_chunk();
      // A stray character was already reported; the item's syntax errors
      // would only repeat it.
      bool has_stray = false;
      for (uint32_t off : pass.stray_offsets) has_stray |= off >= first && off <= last;
      if (has_stray) {
        listener.suppress_chunk();
        ++stray_items;
      }
      if (i == 0) {
        parser.singleHeader();
        continue;
      }
      auto* tree = parse_item(parser, tokens, listener);
      if (listener.count() == before) out.items.push_back(build_item(tree->item(), text, cp, file, diags));
    }
    if (listener.count() > 0 || stray_items > 0) return std::nullopt;
    finish_file(out, diags);
    out.comments = std::move(pass.comments);
    if (diags.error_count() > errors_before) return std::nullopt;
    return out;
  } catch (const std::exception& e) {
    // ANTLR should not throw past its error strategy; if it does, report it
    // at the file rather than crash.
    diags.report(DiagCode::E0007, Span{file, 0, 0}, {sm.file(file).path(), e.what()});
    return std::nullopt;
  } catch (...) {
    diags.report(DiagCode::E0007, Span{file, 0, 0}, {sm.file(file).path(), "internal parser error"});
    return std::nullopt;
  }
}

}  // namespace doudi
