// JSON Lines read in chunks of whole lines, so a batch holds a bounded part
// of its input at a time whatever the input's size. Each chunk lists its
// records (non-blank lines) with their line index; blank lines count in the
// index, so messages point at the file's lines.
#pragma once
#include <algorithm>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/record/record_loader.h"

namespace doudi {

struct RecordLine {
  int64_t index = 0;    // 0-based line number in the input
  uint32_t offset = 0;  // in Chunk::bytes
  uint32_t length = 0;
  uint32_t problem = 0;  // 1 + its index in Chunk::problems: rejected as read (0: none)
};

inline constexpr size_t kChunkPadding = 64;

// A chunk's bytes: whole lines, then kChunkPadding readable bytes (simdjson
// reads ahead; end_at lays them down). Kept from chunk to chunk, grown
// without being cleared first (zeroing a megabyte per chunk showed in
// profiles).
class ChunkBuffer {
 public:
  char* data() { return data_.get(); }
  const char* data() const { return data_.get(); }
  size_t size() const { return size_; }
  // At least n bytes, the first size() kept.
  void reserve(size_t n);
  void resize(size_t n) {  // n <= capacity
    size_ = n;
  }
  // The first n bytes kept, then kChunkPadding blanks (simdjson reads past a
  // record's end).
  void end_at(size_t n);
  void assign(std::string_view s) {
    reserve(s.size());
    std::copy(s.begin(), s.end(), data_.get());
    size_ = s.size();
  }

 private:
  std::unique_ptr<char[]> data_;
  size_t capacity_ = 0, size_ = 0;
};

// A value of a record made from a table (CSV): the bytes [begin, end) of
// Chunk::bytes that it became, and the 0-based line and column of its cell
// (kWholeRow: a row's member object, or the household).
struct ChunkCell {
  static constexpr uint32_t kWholeRow = UINT32_MAX;
  uint32_t begin = 0, end = 0;
  int64_t line = 0;
  uint32_t column = kWholeRow;
};

struct Chunk {
  uint64_t number = 0;  // 0, 1, 2, ... in input order
  ChunkBuffer bytes;
  std::vector<RecordLine> records;
  std::vector<RecordProblem> problems;  // of records rejected as they were read
  // Records made from a table: where each value came from, in the order of
  // `begin`, and the table's column names. Empty for JSON Lines.
  std::vector<ChunkCell> cells;
  std::shared_ptr<const std::vector<std::string>> column_names;
  // A source's bytes that a deciding thread makes into the records above
  // (CSV rows: RecordSource::converter), and the 0-based line they begin
  // on. Empty for JSON Lines, whose records are found as they are read.
  ChunkBuffer raw;
  int64_t raw_line = 0;
  std::string_view line(const RecordLine& r) const { return std::string_view(bytes.data() + r.offset, r.length); }
  // Adds to each problem a note (N0422) naming its cell from `cells`: the
  // innermost value of record r that holds the problem's offset.
  void place_in_table(const RecordLine& r, std::vector<RecordProblem>& problems) const;
};

// The records could not be read (the file, pipe or disk failed): what() is
// the reason in both languages.
struct RecordReadError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Makes a chunk's `raw` bytes into its records, on a deciding thread.
class ChunkConverter {
 public:
  virtual ~ChunkConverter() = default;
  // Throws what the source documents (CsvError).
  virtual void convert(Chunk& chunk) = 0;
};

// Where a batch's records come from: JSON Lines (ChunkReader) or CSV
// (CsvRecords, which turns each household's rows into one JSON record).
class RecordSource {
 public:
  virtual ~RecordSource() = default;
  // The next chunk, false at the end. Throws RecordReadError if the input
  // cannot be read.
  virtual bool next(Chunk& out) = 0;
  virtual uint64_t bytes_read() const = 0;
  // One for each deciding thread, when next() leaves the records to be
  // made from Chunk::raw; none when it makes them itself. Called on any
  // thread; the converters work at the same time.
  virtual std::unique_ptr<ChunkConverter> converter() const { return nullptr; }
};

// A record line longer than this is rejected (its start is kept for the
// message and the digest); the rest of the line is skipped.
inline constexpr size_t kMaxRecordLine = 64u << 20;

class ChunkReader : public RecordSource {
 public:
  // Reads `size` bytes of `fd` from where it stands, in chunks of about
  // `chunk_bytes` (one longer line makes a longer chunk).
  ChunkReader(int fd, uint64_t size, size_t chunk_bytes = 1u << 20);
  // The next chunk, false at the end. Throws std::runtime_error if the file
  // cannot be read.
  bool next(Chunk& out) override;
  uint64_t bytes_read() const override { return consumed_; }

 private:
  size_t fill(char* into, size_t want);  // bytes read, 0 at the end
  int fd_;
  uint64_t left_;          // bytes not yet read from the file
  uint64_t consumed_ = 0;  // bytes handed out in chunks (or skipped)
  size_t chunk_bytes_;
  std::string carry_;      // the start of a line the last chunk could not end
  int64_t next_line_ = 0;
  uint64_t next_number_ = 0;
};

}  // namespace doudi
