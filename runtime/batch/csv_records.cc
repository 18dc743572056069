#include "runtime/batch/csv_records.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <span>

#include "runtime/batch/csv_households.h"
#include "runtime/batch/csv_rows.h"
#include "runtime/diag/diagnostic.h"
#include "runtime/diag/system_reason.h"

namespace doudi {
namespace {

// RFC 4180's quoting, checked over the whole file before anything is
// decided: a quote opened and never closed would swallow every later row,
// and a quote inside an unquoted field or text after a closing quote makes
// the rows after it ambiguous. The file is read in blocks, jumping from
// quote to quote (most exports have none). Throws CsvError naming the line.
void check_quoting(int fd, uint64_t size) {
  std::vector<char> block(1 << 20);
  uint64_t offset = 0;                 // of block[0] in the file
  bool quoted = false;                 // inside a quoted field
  bool closing = false;                // a quote inside a quoted field was the last byte of the last block
  char before = '\n';                  // the byte before the block
  uint64_t opened_at = 0, bad_at = 0;  // file offsets
  const char* why = nullptr;
  while (offset < size && !why) {
    const size_t want = static_cast<size_t>(std::min<uint64_t>(block.size(), size - offset));
    size_t got = 0;
    while (got < want) {
      const ssize_t n = ::read(fd, block.data() + got, want - got);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      got += static_cast<size_t>(n);
    }
    if (got == 0) break;
    auto after_close_ok = [](char c) { return c == ',' || c == '\n' || c == '\r'; };
    size_t pos = 0;
    if (closing) {  // the quote before this block: an escaped quote, or the field's end
      closing = false;
      if (block[0] == '"') pos = 1;
      else if (after_close_ok(block[0])) quoted = false;
      else { why = "after"; bad_at = offset; break; }
    }
    while (pos < got) {
      const char* q = static_cast<const char*>(std::memchr(block.data() + pos, '"', got - pos));
      if (!q) break;
      const size_t at = static_cast<size_t>(q - block.data());
      if (!quoted) {
        const char prev = at > 0 ? block[at - 1] : before;
        if (!after_close_ok(prev)) { why = "inside"; bad_at = offset + at; break; }
        quoted = true;
        opened_at = offset + at;
        pos = at + 1;
      } else if (at + 1 == got) {
        if (offset + got == size) quoted = false;  // the file's last byte closes the field
        else closing = true;
        pos = got;
      } else if (block[at + 1] == '"') {
        pos = at + 2;  // "" is a quote within the field
      } else if (after_close_ok(block[at + 1])) {
        quoted = false;
        pos = at + 1;
      } else { why = "after"; bad_at = offset + at + 1; break; }
    }
    before = block[got - 1];
    offset += got;
  }
  if (!why && quoted) { why = "open"; bad_at = opened_at; }
  if (::lseek(fd, 0, SEEK_SET) != 0)
    throw RecordReadError(system_failure("无法回到记录的开头：", "cannot go back to the start of the records: ", errno));
  if (!why) return;
  // The line of the fault, counted only now that there is one.
  uint64_t line = 1, seen = 0;
  while (seen < bad_at) {
    const size_t want = static_cast<size_t>(std::min<uint64_t>(block.size(), bad_at - seen));
    const ssize_t n = ::read(fd, block.data(), want);
    if (n <= 0) break;
    for (ssize_t i = 0; i < n; ++i) line += block[static_cast<size_t>(i)] == '\n';
    seen += static_cast<uint64_t>(n);
  }
  const std::string w(why);
  throw CsvError(w == "open" ? bilingual(fmt::format("第 {} 行的引号没有闭合，其后各行都被吞入一格；未作任何决定", line),
                                         fmt::format("the quote opened on line {} is never closed, so every later row would fall into "
                                                     "one cell; nothing was decided", line))
                 : w == "inside" ? bilingual(fmt::format("第 {} 行：引号出现在未加引号的格中（应写成 \"…\"\"…\"）；未作任何决定", line),
                                             fmt::format("line {}: a quote inside a cell that is not quoted (write it as "
                                                         "\"…\"\"…\"); nothing was decided", line))
                                 : bilingual(fmt::format("第 {} 行：闭合引号之后还有文字；未作任何决定", line),
                                             fmt::format("line {}: text after a closing quote; nothing was decided", line)));
}

// The cells of the first row of what it parses.
class FirstRow : public RowParser {
 public:
  // None if the row cannot be parsed (error() says why).
  const std::vector<std::string>* of(std::string_view row_bytes) {
    seen_ = false;
    first_.clear();
    return parse_all(row_bytes) ? &first_ : nullptr;
  }

 private:
  void row(std::span<const std::string> cells, int) override {
    if (!seen_) first_.assign(cells.begin(), cells.end());
    seen_ = true;
  }
  bool seen_ = false;
  std::vector<std::string> first_;
};

// A scan for the end of a row, resumable once more of the file is read.
struct RowScan {
  size_t at = 0;        // the next byte to look at
  bool inside = false;  // within a quoted cell
};

// Moves `s` just past the line break that ends its row (\n, \r\n or a lone
// \r, outside quotes); false if `b` ends first. (A \r that ends `b` ends the
// row: the \n that may follow is a blank row, which holds no record and
// whose line is counted wherever it falls.) The quoting has been checked
// (check_quoting), so every quote opens or closes a cell (a doubled one
// closes and opens).
bool to_row_end(std::string_view b, RowScan& s) {
  while (s.at < b.size()) {
    if (s.inside) {
      const void* q = std::memchr(b.data() + s.at, '"', b.size() - s.at);
      if (!q) {
        s.at = b.size();
        return false;
      }
      s.at = static_cast<size_t>(static_cast<const char*>(q) - b.data()) + 1;
      s.inside = false;
      continue;
    }
    const char c = b[s.at];
    if (c == '"') s.inside = true;
    else if (c == '\n') {
      ++s.at;
      return true;
    } else if (c == '\r') {
      s.at += s.at + 1 < b.size() && b[s.at + 1] == '\n' ? 2 : 1;
      return true;
    }
    ++s.at;
  }
  return false;
}

// Whether the bytes [0, end) of `b` leave a quoted cell open.
bool inside_quotes(std::string_view b, size_t end) {
  bool inside = false;
  for (const char* q = b.data(); (q = static_cast<const char*>(std::memchr(q, '"', b.data() + end - q))); ++q)
    inside = !inside;
  return inside;
}

int64_t line_breaks(std::string_view b) { return std::count(b.begin(), b.end(), '\n'); }

}  // namespace

CsvRecords::CsvRecords(const ir::Module& m, int fd, uint64_t size, std::string key_column, size_t chunk_bytes)
    // Rows of half the bytes: their households' JSON takes about twice as
    // many (each value is named), and a chunk's records are what it holds.
    : fd_(fd), left_(size), chunk_bytes_(std::max<size_t>(chunk_bytes / 2, 1)) {
  check_quoting(fd, size);
  // The header: the first row that is not blank.
  FirstRow first;
  while (!table_) {
    if (carry_.empty() && read_more() == 0)
      CsvTable::refuse("没有表头行（文件为空？）", "there is no header row (is the file empty?)");
    const size_t end = row_end(0, false);
    const std::string_view row(carry_.data(), end);
    const std::vector<std::string>* cells = first.of(row);
    if (!cells) throw unparsable(carry_line_, first.error());
    if (!is_blank(*cells)) table_ = std::make_shared<const CsvTable>(m, *cells, key_column);
    carry_line_ += line_breaks(row);
    consumed_ += end;
    carry_.erase(0, end);
  }
}

CsvRecords::~CsvRecords() = default;

std::unique_ptr<ChunkConverter> CsvRecords::converter() const { return household_rows(table_); }

size_t CsvRecords::read_more() {
  if (left_ == 0) return 0;
  const size_t at = carry_.size();
  const size_t want = static_cast<size_t>(std::min<uint64_t>(kReadBlock, left_));
  carry_.resize(at + want);
  ssize_t n;
  while ((n = ::read(fd_, carry_.data() + at, want)) < 0 && errno == EINTR) {
  }
  if (n < 0) throw RecordReadError(system_failure("", "", errno));
  carry_.resize(at + static_cast<size_t>(n));
  // A file that got shorter ends here (its digest says so: RecordInput).
  left_ = n == 0 ? 0 : left_ - static_cast<uint64_t>(n);
  return static_cast<size_t>(n);
}

size_t CsvRecords::row_end(size_t from, bool inside) {
  RowScan s{from, inside};
  while (!to_row_end(carry_, s))
    if (read_more() == 0) return carry_.size();  // the file's last row, with no line break
  return s.at;
}

size_t CsvRecords::cut() {
  while (carry_.size() <= chunk_bytes_ && read_more() > 0) {
  }
  if (carry_.size() <= chunk_bytes_) return carry_.size();  // the rest of the file
  const size_t first = row_end(chunk_bytes_, inside_quotes(carry_, chunk_bytes_));
  if (!table_->list) return first;  // a row is a household
  // Members as rows: the chunk ends before the first row that starts a
  // household. Where the row before `first` belongs is not known (finding
  // its household would mean reading back), so the chunk goes on to the
  // next key: its first row starts a household whatever came before, as
  // does a row with no key cell. Blank rows belong to no household.
  const size_t k = *table_->key;
  FirstRow row;
  std::optional<std::string> key;
  for (size_t at = first;;) {
    // A row that ends where the reading stopped may have its household's
    // next row in the next block: read on before deciding.
    if (at == carry_.size() && read_more() == 0) return at;  // the file's end
    const size_t end = row_end(at, false);
    const std::vector<std::string>* cells = row.of(std::string_view(carry_).substr(at, end - at));
    if (!cells) throw unparsable(carry_line_ + line_breaks(std::string_view(carry_).substr(0, at)), row.error());
    if (!is_blank(*cells)) {
      if (cells->size() <= k || (key && (*cells)[k] != *key)) return at;
      if (!key) key = (*cells)[k];
    }
    at = end;
  }
}

bool CsvRecords::next(Chunk& out) {
  const size_t end = cut();
  if (end == 0) return false;
  const std::string_view rows(carry_.data(), end);
  out.raw.assign(rows);
  out.raw_line = carry_line_;  // the records are the converter's to make
  out.number = next_number_++;
  carry_line_ += line_breaks(rows);
  consumed_ += end;
  carry_.erase(0, end);
  return true;
}

}  // namespace doudi
