// Runs between the ANTLR lexer and parser: picks the file's dialect, turns the
// other dialect's keywords into identifiers, merges English `[...]`
// citations, reports stray characters and collects comments.
#pragma once
#include <memory>
#include <vector>

#include "Token.h"
#include "compiler/ast/ast.h"
#include "runtime/diag/diagnostic.h"

namespace doudi::parse_detail {

// Code point index → byte offset (one extra entry for the end).
std::vector<uint32_t> code_point_offsets(const std::string& text);

struct TokenPassResult {
  std::vector<std::unique_ptr<antlr4::Token>> tokens;  // default channel only
  Dialect dialect = Dialect::Zh;
  std::vector<ast::Comment> comments;
  bool too_deep = false;
  std::vector<uint32_t> stray_offsets;  // byte offsets of reported stray characters
};

TokenPassResult run_token_pass(std::vector<std::unique_ptr<antlr4::Token>> raw, const std::string& text,
                               const std::vector<uint32_t>& cp_to_byte, FileId file, DiagSink& diags);

// The dialect a keyword token's spelling belongs to; nullopt for spellings
// both dialects share (symbols such as ∈, and 元/月).
std::optional<Dialect> spelling_dialect(size_t token_type, const std::string& text);

// Lexes `text` alone; its token type if it is exactly one token, else 0.
size_t lex_single(const std::string& text);

// The keyword a token type stands for (built by lexing keywords.def, so the
// grammar and the table cannot drift apart unnoticed: a unit test checks
// that every entry maps to a distinct keyword token type).
std::optional<Keyword> keyword_for_token_type(size_t type);
size_t token_type_for_keyword(Keyword k, Dialect d);

}  // namespace doudi::parse_detail
