// Household records from CSV, as provincial case systems export them
// (docs/cli.md, "CSV input"). The header row names schema fields: a
// household field by its name (户籍), a field of the members' list as
// LIST.FIELD (成员.年龄). With member columns, each row is one member and the
// rows of one household follow each other, sharing the value of the key
// column (--csv-key, which need not be a schema field); household columns
// repeat on each row and must agree. Without member columns each row is one
// household. An empty cell leaves the field out (its default applies, an
// optional field is absent). Each household becomes one JSON record, read
// and validated like a JSON Lines record, so the messages and the log are
// the same; its index is the line of its first row (the header is line 0).
//
// The calling thread only cuts the file into chunks of whole households
// (it reads cells only near a cut, to find where the key changes); each
// deciding thread turns its chunks' rows into records (converter()), so a
// CSV batch reads its rows on every core.
#pragma once
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "runtime/batch/line_chunks.h"
#include "runtime/ir/ir.h"

namespace doudi {

struct CsvTable;

// A header that does not fit the schema, or CSV that cannot be parsed:
// what() is the message in both languages (E2011's second argument).
struct CsvError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class CsvRecords : public RecordSource {
 public:
  // Checks the quoting of the whole file, reads and checks the header;
  // throws CsvError. `key_column` may be empty when there are no member
  // columns. `chunk_bytes`: about the bytes of records (JSON) in a chunk.
  CsvRecords(const ir::Module& m, int fd, uint64_t size, std::string key_column, size_t chunk_bytes = 1u << 20);
  ~CsvRecords() override;
  CsvRecords(const CsvRecords&) = delete;
  CsvRecords& operator=(const CsvRecords&) = delete;

  // A chunk of whole households' rows, in Chunk::raw.
  bool next(Chunk& out) override;
  uint64_t bytes_read() const override { return consumed_; }
  std::unique_ptr<ChunkConverter> converter() const override;

  static constexpr size_t kReadBlock = 256u << 10;  // of the file, read at a time

 private:
  size_t read_more();  // appends a block of the file to carry_; 0 at its end
  // Just past the line break that ends the row at `from` in carry_ (inside
  // a quoted cell or not), reading on as needed.
  size_t row_end(size_t from, bool inside);
  size_t cut();  // where the next chunk ends in carry_

  int fd_;
  uint64_t left_;  // bytes of the file not yet read
  size_t chunk_bytes_;  // of rows in a chunk (about)
  std::shared_ptr<const CsvTable> table_;  // the header's columns, as the schema's fields
  std::string carry_;      // rows read and not yet handed out, from a row's start
  int64_t carry_line_ = 0;  // the 0-based line carry_ begins on
  uint64_t consumed_ = 0;
  uint64_t next_number_ = 0;
};

}  // namespace doudi
