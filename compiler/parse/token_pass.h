// Runs between the ANTLR lexer and parser: picks the file's dialect, turns the
// other dialect's keywords into identifiers, merges English `[...]`
// citations, reports stray characters and dates or numbers not written as the
// dialect accepts (E0014, E0015), and collects comments.
#pragma once
#include <memory>
#include <mutex>
#include <vector>

#include "Token.h"
#include "compiler/ast/ast.h"
#include "compiler/parse/keyword_tokens.h"
#include "runtime/diag/diagnostic.h"

namespace doudi::parse_detail {

// Held while ANTLR's lexer or parser runs: their DFA caches are shared
// between instances (static members), and the 4.9 C++ runtime does not
// promise that filling them from two threads is safe.
std::mutex& antlr_mutex();

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

}  // namespace doudi::parse_detail
