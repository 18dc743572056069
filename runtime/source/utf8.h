// UTF-8 helpers shared by the lexer boundary, diagnostics, the record loader
// and everything that writes JSON.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace doudi {

// Byte offset of the first invalid sequence, or nullopt if `text` is valid UTF-8.
std::optional<size_t> find_invalid_utf8(std::string_view text);

// Decodes one code point at `pos` (which must be valid UTF-8) and advances it.
char32_t decode_utf8(std::string_view text, size_t& pos);

void append_utf8(std::string& out, char32_t cp);

size_t count_code_points(std::string_view text);

// `text` as a JSON string literal: quotes, backslashes and control
// characters escaped, everything else (UTF-8 included) as it is.
std::string json_quote(std::string_view text);
// The same, appended to `out`.
void append_json_quoted(std::string& out, std::string_view text);

// `text` safe to print on a terminal: C0 control characters and DEL (ESC
// clears screens and colours text, BEL rings) become their visible Control
// Pictures (␛, ␇: one column each, so carets still line up), C1 controls
// U+FFFD. Text from records and rule files passes through it before it is
// shown. Bytes that are not UTF-8 become U+FFFD.
// With `keep_lines`, line breaks stay (text of several lines, such as an
// explanation).
std::string visible_controls(std::string_view text, bool keep_lines = false);

// Terminal columns a code point occupies: 2 for East Asian wide and full-width
// characters (so carets line up under Chinese text), 1 otherwise.
int display_width(char32_t cp);
int display_width(std::string_view text);

}  // namespace doudi
