// Source files and positions. Spans are byte offsets; lines and columns are
// computed only when a diagnostic is printed. Columns count characters, so a
// Chinese character is one column.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace doudi {

using FileId = uint32_t;
inline constexpr FileId kNoFile = UINT32_MAX;

struct Span {
  FileId file = kNoFile;
  uint32_t begin = 0;  // byte offset, inclusive
  uint32_t end = 0;    // byte offset, exclusive
  bool valid() const { return file != kNoFile; }
};

struct LineCol {
  uint32_t line = 0;    // 1-based
  uint32_t column = 0;  // 1-based, in code points
};

class SourceFile {
 public:
  // `first_line`: the text is one part of a larger file (a line of a JSONL
  // batch) that starts at this line; positions are reported in the larger file.
  SourceFile(std::string path, std::string text, uint32_t first_line = 1);
  const std::string& path() const { return path_; }
  const std::string& text() const { return text_; }
  LineCol line_col(uint32_t offset) const;
  std::string_view line_text(uint32_t line) const;  // without the newline

 private:
  std::string path_;
  std::string text_;
  uint32_t first_line_;
  std::vector<uint32_t> line_starts_;
};

// Owns every file read during a compilation; FileIds index into it.
class SourceManager {
 public:
  FileId add(std::string path, std::string text, uint32_t first_line = 1);
  const SourceFile& file(FileId id) const { return *files_.at(id); }
  size_t size() const { return files_.size(); }
  std::string_view slice(Span span) const;

 private:
  std::vector<std::unique_ptr<SourceFile>> files_;
};

}  // namespace doudi
