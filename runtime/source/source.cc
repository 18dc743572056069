#include "runtime/source/source.h"

#include <algorithm>

#include "runtime/source/utf8.h"

namespace doudi {

SourceFile::SourceFile(std::string path, std::string text, uint32_t first_line)
    : path_(std::move(path)), text_(std::move(text)), first_line_(first_line) {
  line_starts_.push_back(0);
  for (uint32_t i = 0; i < text_.size(); ++i)
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
}

LineCol SourceFile::line_col(uint32_t offset) const {
  offset = std::min<uint32_t>(offset, static_cast<uint32_t>(text_.size()));
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const auto line = static_cast<uint32_t>(it - line_starts_.begin());
  const uint32_t start = line_starts_[line - 1];
  const auto column = count_code_points(std::string_view(text_).substr(start, offset - start));
  return {line + first_line_ - 1, static_cast<uint32_t>(column) + 1};
}

std::string_view SourceFile::line_text(uint32_t line) const {
  if (line < first_line_ || line - first_line_ >= line_starts_.size()) return {};
  line -= first_line_ - 1;
  const uint32_t start = line_starts_[line - 1];
  uint32_t end = line < line_starts_.size() ? line_starts_[line] : static_cast<uint32_t>(text_.size());
  while (end > start && (text_[end - 1] == '\n' || text_[end - 1] == '\r')) --end;
  return std::string_view(text_).substr(start, end - start);
}

FileId SourceManager::add(std::string path, std::string text, uint32_t first_line) {
  files_.push_back(std::make_unique<SourceFile>(std::move(path), std::move(text), first_line));
  return static_cast<FileId>(files_.size() - 1);
}

std::string_view SourceManager::slice(Span span) const {
  if (!span.valid()) return {};
  const auto& text = file(span.file).text();
  if (span.begin > text.size() || span.end > text.size() || span.end < span.begin) return {};
  return std::string_view(text).substr(span.begin, span.end - span.begin);
}

}  // namespace doudi
