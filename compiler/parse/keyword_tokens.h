// Keywords as the lexer sees them: token types by keyword and dialect, and
// back. No ANTLR type appears here (token types are plain numbers), so the
// keyword table's test can use it.
#pragma once
#include <cstddef>
#include <optional>
#include <string>

#include "compiler/ast/keywords.h"

namespace doudi::parse_detail {

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
