// Positions as the protocol gives them: a 0-based line and a character
// counted in UTF-16 code units (a Chinese character is one, an emoji two),
// converted to and from the byte offsets of our spans.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace doudi::lsp {

struct Position {
  uint32_t line = 0, character = 0;
};

// The character starting at byte `i` of `text`: its length in bytes and in
// UTF-16 units. A byte that starts no valid UTF-8 sequence counts as one of
// each (editors show it as one replacement character).
struct CharSize {
  size_t bytes;
  uint32_t units;
};
CharSize char_at(std::string_view text, size_t i);

// The byte offset of `p` in `text`; past the end of a line: its end; past
// the last line: the end of the text.
uint32_t offset_of(std::string_view text, Position p);
Position position_of(std::string_view text, uint32_t offset);

}  // namespace doudi::lsp
