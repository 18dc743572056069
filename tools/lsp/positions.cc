#include "tools/lsp/positions.h"

namespace doudi::lsp {
CharSize char_at(std::string_view text, size_t i) {
  const auto b = static_cast<unsigned char>(text[i]);
  size_t n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
  if (n == 0 || i + n > text.size()) n = 1;
  for (size_t k = 1; k < n; ++k)
    if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) n = 1;
  return {n, n == 4 ? 2u : 1u};
}

uint32_t offset_of(std::string_view text, Position p) {
  size_t i = 0;
  for (uint32_t line = 0; line < p.line; ++line) {
    const size_t nl = text.find('\n', i);
    if (nl == std::string_view::npos) return static_cast<uint32_t>(text.size());
    i = nl + 1;
  }
  uint32_t units = 0;
  while (i < text.size() && text[i] != '\n' && units < p.character) {
    const CharSize c = char_at(text, i);
    if (units + c.units > p.character) break;  // inside a surrogate pair: before it
    units += c.units;
    i += c.bytes;
  }
  return static_cast<uint32_t>(i);
}

Position position_of(std::string_view text, uint32_t offset) {
  Position p;
  size_t i = 0;
  const size_t end = offset < text.size() ? offset : text.size();
  while (i < end) {
    if (text[i] == '\n') {
      ++p.line;
      p.character = 0;
      ++i;
      continue;
    }
    const CharSize c = char_at(text, i);
    if (i + c.bytes > end) break;
    p.character += c.units;
    i += c.bytes;
  }
  return p;
}

}  // namespace doudi::lsp
