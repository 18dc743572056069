// The lexer's tokens written out, one per line (type/channel, code point
// start-stop, line:column, text): for comparing how two streams lex the same text, in
// tests and when debugging the grammar. Keeps ANTLR out of its callers.
#pragma once
#include <stdexcept>
#include <string>

namespace doudi::parse_detail {

// Lexed through LexingStream (`ascii_twins`) or ANTLR's plain input stream.
// Throws std::range_error on text that is not UTF-8 (the parser refuses such
// text before lexing).
std::string token_listing(const std::string& text, bool ascii_twins);

}  // namespace doudi::parse_detail
