#include "runtime/batch/line_chunks.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace doudi {
namespace {

bool blank(std::string_view line) { return line.find_first_not_of(" \t\r") == std::string_view::npos; }

}  // namespace

void ChunkBuffer::reserve(size_t n) {
  if (n <= capacity_) return;
  const size_t grown = std::max(n, capacity_ + capacity_ / 2);
  std::unique_ptr<char[]> bigger(new char[grown]);
  std::copy(data_.get(), data_.get() + size_, bigger.get());
  data_ = std::move(bigger);
  capacity_ = grown;
}

ChunkReader::ChunkReader(int fd, uint64_t size, size_t chunk_bytes)
    : fd_(fd), left_(size), chunk_bytes_(std::max<size_t>(chunk_bytes, 1)) {}

size_t ChunkReader::fill(char* into, size_t want) {
  want = static_cast<size_t>(std::min<uint64_t>(want, left_));
  size_t got = 0;
  while (got < want) {
    const ssize_t n = ::read(fd_, into + got, want - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::runtime_error(std::string("cannot read the records: ") + std::strerror(errno));
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
  b.reserve(end + kChunkPadding);
  std::fill(b.data() + end, b.data() + end + kChunkPadding, ' ');
  b.resize(end + kChunkPadding);
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
