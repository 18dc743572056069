// CSV rows as libcsv reads them (RFC 4180, strict; a row ends at CR, LF or
// CR LF): the parser shared by the batch's CSV reader (csv_records), which
// reads a few rows to find where to cut the file, and the converters that
// make its chunks' rows into households (csv_households).
#pragma once
#include <csv.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/batch/csv_records.h"

namespace doudi {

// libcsv's parser, handing each row's cells to row(). The cells' storage is
// kept from row to row.
class RowParser {
 public:
  RowParser();
  virtual ~RowParser();
  RowParser(const RowParser&) = delete;
  RowParser& operator=(const RowParser&) = delete;

  // All of `bytes`, as a whole input (its last row may lack its line
  // break). False if libcsv refuses them: error() says why, and the parser
  // is ready for another input.
  bool parse_all(std::string_view bytes);
  const std::string& error() const { return error_; }

 protected:
  // `terminator`: the byte that ended the row (-1 for the input's end).
  virtual void row(std::span<const std::string> cells, int terminator) = 0;

 private:
  void init();
  static void on_field(void* data, size_t n, void* self);
  static void on_row(int terminator, void* self);

  csv_parser parser_{};
  std::vector<std::string> cells_;
  size_t count_ = 0;  // of cells_, in the row being read
  std::string error_;
};

// A row with no cells, or one empty cell: a blank line, which holds nothing.
bool is_blank(std::span<const std::string> cells);

// What libcsv refused, on the 0-based `line`.
CsvError unparsable(int64_t line, const std::string& why);

}  // namespace doudi
