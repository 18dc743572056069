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
#pragma once
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "runtime/batch/line_chunks.h"
#include "runtime/ir/ir.h"

namespace doudi {

// A header that does not fit the schema, or CSV that cannot be parsed:
// what() is the message in both languages (E2011's second argument).
struct CsvError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class CsvRecords : public RecordSource {
 public:
  // Reads and checks the header; throws CsvError. `key_column` may be empty
  // when there are no member columns.
  CsvRecords(const ir::Module& m, int fd, uint64_t size, std::string key_column, size_t chunk_bytes = 1u << 20);
  ~CsvRecords() override;
  CsvRecords(const CsvRecords&) = delete;
  CsvRecords& operator=(const CsvRecords&) = delete;

  bool next(Chunk& out) override;
  uint64_t bytes_read() const override { return consumed_; }

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
  uint64_t consumed_ = 0;
  uint64_t next_number_ = 0;
};

}  // namespace doudi
