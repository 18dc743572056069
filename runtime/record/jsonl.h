// JSON Lines: one record per line. Blank lines (spaces, tabs, a CR) are not
// records; line numbers count every line, so messages point at the file.
#pragma once
#include <cstdint>
#include <string_view>

namespace doudi {

// Calls f(index, line) for each non-blank line, index counting from 0.
template <typename F>
void for_each_jsonl_record(std::string_view text, const F& f) {
  int64_t index = -1;
  for (size_t start = 0; start < text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++index;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    f(index, line);
  }
}

}  // namespace doudi
