#include "runtime/batch/csv_rows.h"

#include <fmt/format.h>

#include <stdexcept>
#include <utility>

#include "runtime/diag/diagnostic.h"

namespace doudi {
namespace {

// Strict, though check_quoting has already refused what strictness would;
// a row ends at CR, LF or CR LF.
constexpr int kParserOptions = CSV_STRICT | CSV_REPALL_NL | CSV_STRICT_FINI | CSV_APPEND_NULL;

}  // namespace

RowParser::RowParser() { init(); }

RowParser::~RowParser() { csv_free(&parser_); }

bool RowParser::parse_all(std::string_view bytes) {
  count_ = 0;
  if (csv_parse(&parser_, bytes.data(), bytes.size(), on_field, on_row, this) == bytes.size() &&
      csv_fini(&parser_, on_field, on_row, this) == 0)
    return true;
  error_ = csv_strerror(csv_error(&parser_));
  csv_free(&parser_);  // a parser that failed stays failed
  init();
  return false;
}

void RowParser::init() {
  if (csv_init(&parser_, kParserOptions) != 0) throw std::runtime_error("cannot set up the CSV parser");
}

void RowParser::on_field(void* data, size_t n, void* self) {
  auto* p = static_cast<RowParser*>(self);
  if (p->count_ == p->cells_.size()) p->cells_.emplace_back();
  p->cells_[p->count_++].assign(static_cast<const char*>(data), n);
}

void RowParser::on_row(int terminator, void* self) {
  auto* p = static_cast<RowParser*>(self);
  const size_t n = std::exchange(p->count_, 0);
  p->row(std::span<const std::string>(p->cells_.data(), n), terminator);
}

bool is_blank(std::span<const std::string> cells) { return cells.empty() || (cells.size() == 1 && cells[0].empty()); }

CsvError unparsable(int64_t line, const std::string& why) {
  return CsvError(bilingual(fmt::format("读到第 {} 行时无法解析：{}", line + 1, why),
                            fmt::format("cannot be parsed at line {}: {}", line + 1, why)));
}

}  // namespace doudi
