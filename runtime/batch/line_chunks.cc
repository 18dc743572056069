#include "runtime/batch/line_chunks.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "runtime/diag/system_reason.h"

namespace doudi {
namespace {

bool blank(std::string_view line) { return line.find_first_not_of(" \t\r") == std::string_view::npos; }

// The column of a required field missing from a row: the household's
// `field`, or a member's `LIST.field`.
uint32_t empty_cell(const std::vector<std::string>& names, std::string_view field, bool household) {
  for (uint32_t i = 0; i < names.size(); ++i) {
    const std::string_view name = names[i];
    if (household ? name == field
                  : name.size() > field.size() && name.ends_with(field) && name[name.size() - field.size() - 1] == '.')
      return i;
  }
  return ChunkCell::kWholeRow;
}

}  // namespace

void ChunkBuffer::reserve(size_t n) {
  if (n <= capacity_) return;
  const size_t grown = std::max(n, capacity_ + capacity_ / 2);
  std::unique_ptr<char[]> bigger(new char[grown]);
  std::copy(data_.get(), data_.get() + size_, bigger.get());
  data_ = std::move(bigger);
  capacity_ = grown;
}

void ChunkBuffer::end_at(size_t n) {
  reserve(n + kChunkPadding);
  std::fill(data_.get() + n, data_.get() + n + kChunkPadding, ' ');
  size_ = n + kChunkPadding;
}

void Chunk::place_in_table(const RecordLine& r, std::vector<RecordProblem>& problems) const {
  if (cells.empty() || !column_names) return;
  for (RecordProblem& p : problems) {
    const uint64_t at = uint64_t{r.offset} + p.offset;
    // The last cell starting at or before the offset, then back to one that
    // holds it: a value lies within its row's object, after its start.
    auto it = std::upper_bound(cells.begin(), cells.end(), at, [](uint64_t x, const ChunkCell& c) { return x < c.begin; });
    while (it != cells.begin()) {
      const ChunkCell& c = *--it;
      if (c.begin < r.offset) break;  // an earlier record's
      if (at >= c.end) continue;
      uint32_t column = c.column;
      // A required field left out: its cell in that row was empty.
      if (column == ChunkCell::kWholeRow && p.code == DiagCode::E2003 && p.args.size() == 2)
        column = empty_cell(*column_names, p.args[1], c.begin == r.offset);
      // A problem with a whole row and no one cell keeps the record's line
      // alone (the message's place names it).
      if (column < column_names->size())
        p.notes.push_back(make_note(DiagCode::N0422, Span{},
                                    {std::to_string(c.line + 1), std::to_string(column + 1), (*column_names)[column]}));
      break;
    }
  }
}

ChunkReader::ChunkReader(int fd, uint64_t size, size_t chunk_bytes)
    : fd_(fd), left_(size), chunk_bytes_(std::max<size_t>(chunk_bytes, 1)) {}

size_t ChunkReader::fill(char* into, size_t want) {
  want = static_cast<size_t>(std::min<uint64_t>(want, left_));
  size_t got = 0;
  while (got < want) {
    const ssize_t n = ::read(fd_, into + got, want - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw RecordReadError(system_failure("", "", errno));
    if (n == 0) break;  // the file shrank since it was hashed: what is left is all there is
    got += static_cast<size_t>(n);
  }
  left_ = got < want ? 0 : left_ - got;
  return got;
}

bool ChunkReader::next(Chunk& out) {
  out.number = next_number_;
  out.records.clear();
  out.problems.clear();
  ChunkBuffer& b = out.bytes;
  b.assign(carry_);
  carry_.clear();
  size_t size = b.size();
  // Read until the chunk holds a line end past chunk_bytes_ / 2 (or the file ends).
  bool cut = false;
  while (left_ > 0) {
    const size_t want = std::max(chunk_bytes_, size);  // a long line doubles the chunk
    b.reserve(size + want + kChunkPadding);
    const size_t got = fill(b.data() + size, want);
    const size_t before = size;
    size += got;
    b.resize(size);  // kept when the buffer grows for a long line
    if (got == 0) break;
    if (std::memchr(b.data() + before, '\n', got) != nullptr && size >= chunk_bytes_ / 2) break;
    if (std::memchr(b.data(), '\n', size) == nullptr && size >= kMaxRecordLine) {
      cut = true;  // one line too long to hold: keep its start, drop the rest
      break;
    }
  }
  if (size == 0 && left_ == 0) return false;
  // Whole lines go out now; a last line without its end waits for the next
  // chunk, unless the file ends there.
  size_t end = size;
  if (left_ > 0 && !cut) {
    const char* last = static_cast<const char*>(memrchr(b.data(), '\n', size));
    end = last ? static_cast<size_t>(last - b.data()) + 1 : size;
    carry_.assign(b.data() + end, size - end);
  }
  b.end_at(end);
  for (size_t start = 0; start < end;) {
    const char* nl = static_cast<const char*>(std::memchr(b.data() + start, '\n', end - start));
    const size_t stop = nl ? static_cast<size_t>(nl - b.data()) : end;
    const std::string_view line(b.data() + start, stop - start);
    if (!blank(line)) {
      out.records.push_back(RecordLine{next_line_, static_cast<uint32_t>(start), static_cast<uint32_t>(line.size()), 0});
      if (cut && !nl) {
        out.problems.push_back(RecordProblem{
            DiagCode::E2001,
            {bilingual(fmt::format("一行超过 {} MiB，不予读取", kMaxRecordLine >> 20),
                       fmt::format("a line longer than {} MiB is not read", kMaxRecordLine >> 20))},
            0});
        out.records.back().problem = static_cast<uint32_t>(out.problems.size());
      }
    }
    ++next_line_;
    start = stop + 1;
  }
  if (cut) {
    // Skip the rest of the overlong line.
    std::string skip(chunk_bytes_, '\0');
    while (left_ > 0) {
      const size_t got = fill(skip.data(), skip.size());
      consumed_ += got;
      const char* nl = static_cast<const char*>(std::memchr(skip.data(), '\n', got));
      if (nl) {
        carry_.assign(nl + 1, static_cast<size_t>(skip.data() + got - (nl + 1)));
        consumed_ -= carry_.size();
        break;
      }
    }
  }
  consumed_ += end;
  ++next_number_;
  return true;
}

}  // namespace doudi
