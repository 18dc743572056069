#include "runtime/batch/csv_records.h"

#include <csv.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <span>
#include <utility>

#include "runtime/diag/diagnostic.h"
#include "runtime/diag/system_reason.h"
#include "runtime/source/utf8.h"

namespace doudi {
namespace {

struct Column {
  enum class Place { Household, Member, KeyOnly } place = Place::KeyOnly;
  uint32_t field = 0;  // in the input struct (Household) or the member struct (Member)
  TypeId type{};
};

bool is_integer(std::string_view s) {
  size_t i = s.size() > 1 && s[0] == '-' ? 1 : 0;
  if (i == s.size()) return false;
  for (; i < s.size(); ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

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

// Appends one record's JSON line to the chunk, rejected as read with
// `problem` if there is one.
void append_record(Chunk& to, std::string_view json, int64_t index, const std::optional<RecordProblem>& problem) {
  ChunkBuffer& b = to.bytes;
  const size_t at = b.size();
  b.reserve(at + json.size() + 1);
  std::memcpy(b.data() + at, json.data(), json.size());
  b.data()[at + json.size()] = '\n';
  b.resize(at + json.size() + 1);
  to.records.push_back(RecordLine{index, static_cast<uint32_t>(at), static_cast<uint32_t>(json.size()), 0});
  if (problem) {
    to.problems.push_back(*problem);
    to.records.back().problem = static_cast<uint32_t>(to.problems.size());
  }
}

}  // namespace


namespace {

// Strict, though check_quoting has already refused what strictness would;
// a row ends at CR, LF or CR LF.
constexpr int kParserOptions = CSV_STRICT | CSV_REPALL_NL | CSV_STRICT_FINI | CSV_APPEND_NULL;

// libcsv's parser, handing each row's cells to row(). The cells' storage is
// kept from row to row.
class RowParser {
 public:
  RowParser() { init(); }
  virtual ~RowParser() { csv_free(&parser_); }
  RowParser(const RowParser&) = delete;
  RowParser& operator=(const RowParser&) = delete;

  // All of `bytes`, as a whole input (its last row may lack its line
  // break). False if libcsv refuses them: error() says why, and the parser
  // is ready for another input.
  bool parse_all(std::string_view bytes) {
    count_ = 0;
    if (csv_parse(&parser_, bytes.data(), bytes.size(), on_field, on_row, this) == bytes.size() &&
        csv_fini(&parser_, on_field, on_row, this) == 0)
      return true;
    error_ = csv_strerror(csv_error(&parser_));
    csv_free(&parser_);  // a parser that failed stays failed
    init();
    return false;
  }
  const std::string& error() const { return error_; }

 protected:
  // `terminator`: the byte that ended the row (-1 for the input's end).
  virtual void row(std::span<const std::string> cells, int terminator) = 0;

 private:
  void init() {
    if (csv_init(&parser_, kParserOptions) != 0) throw std::runtime_error("cannot set up the CSV parser");
  }
  static void on_field(void* data, size_t n, void* self) {
    auto* p = static_cast<RowParser*>(self);
    if (p->count_ == p->cells_.size()) p->cells_.emplace_back();
    p->cells_[p->count_++].assign(static_cast<const char*>(data), n);
  }
  static void on_row(int terminator, void* self) {
    auto* p = static_cast<RowParser*>(self);
    const size_t n = std::exchange(p->count_, 0);
    p->row(std::span<const std::string>(p->cells_.data(), n), terminator);
  }

  csv_parser parser_{};
  std::vector<std::string> cells_;
  size_t count_ = 0;  // of cells_, in the row being read
  std::string error_;
};

bool is_blank(std::span<const std::string> cells) { return cells.empty() || (cells.size() == 1 && cells[0].empty()); }

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

CsvError unparsable(int64_t line, const std::string& why) {
  return CsvError(bilingual(fmt::format("读到第 {} 行时无法解析：{}", line + 1, why),
                            fmt::format("cannot be parsed at line {}: {}", line + 1, why)));
}

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

struct CsvRecords::Table {
  const ir::Module& m;
  std::vector<std::string> header;
  std::shared_ptr<const std::vector<std::string>> column_names;  // the header, for the chunks
  std::vector<Column> columns;
  const ir::Struct* input = nullptr;  // the household
  std::optional<uint32_t> list;       // the members' list: a field of the household
  const ir::Struct* member = nullptr;
  std::optional<size_t> key;          // the key column
  std::vector<std::string> json_keys;  // each column's field as a JSON object key, with its colon
  std::string list_key;                // the members' list's, with its colon and bracket

  Table(const ir::Module& module, std::vector<std::string> names, const std::string& key_column) : m(module) {
    if (!names.empty() && names[0].rfind("\xEF\xBB\xBF", 0) == 0) names[0].erase(0, 3);  // Excel's byte order mark
    for (const auto& n : names)
      if (find_invalid_utf8(n))
        refuse("表头不是 UTF-8 编码（GBK 导出？可用 iconv -f GBK -t UTF-8 转换）",
               "the header is not UTF-8 (a GBK export? convert it with iconv -f GBK -t UTF-8)");
    const Type& root = m.types.get(m.input_type);
    if (root.kind != TypeKind::Struct) refuse("输入不是结构，无法按列读取", "the input is not a structure: it cannot be read from columns");
    input = &m.structs[root.ref];
    header = std::move(names);
    column_names = std::make_shared<const std::vector<std::string>>(header);
    for (size_t c = 0; c < header.size(); ++c) {
      const std::string& name = header[c];
      for (size_t d = 0; d < c; ++d)
        if (header[d] == name) refuse(fmt::format("列 `{}` 出现了两次", name), fmt::format("column `{}` appears twice", name));
      Column col;
      const size_t dot = name.find('.');
      auto field_of = [&](const ir::Struct& st, std::string_view f) -> std::optional<uint32_t> {
        for (uint32_t i = 0; i < st.fields.size(); ++i)
          if (st.fields[i].name == f) return i;
        return std::nullopt;
      };
      if (name == key_column) key = c;
      if (dot != std::string::npos) {
        const auto l = field_of(*input, std::string_view(name).substr(0, dot));
        const Type* lt = l ? &m.types.get(input->fields[*l].type) : nullptr;
        const Type* et = lt && lt->kind == TypeKind::List ? &m.types.get(lt->elem) : nullptr;
        if (!et || et->kind != TypeKind::Struct)
          refuse(fmt::format("列 `{}`：`{}` 不是户的成员列表字段", name, name.substr(0, dot)),
                 fmt::format("column `{}`: `{}` is not a list of members in the household", name, name.substr(0, dot)));
        if (list && *list != *l)
          refuse(fmt::format("列 `{}`：成员列只能属于一个列表（已有 `{}`）", name, input->fields[*list].name),
                 fmt::format("column `{}`: member columns may belong to one list only (already `{}`)", name, input->fields[*list].name));
        list = *l;
        member = &m.structs[et->ref];
        const auto f = field_of(*member, std::string_view(name).substr(dot + 1));
        if (!f)
          refuse(fmt::format("列 `{}`：成员没有字段 `{}`", name, name.substr(dot + 1)),
                 fmt::format("column `{}`: a member has no field `{}`", name, name.substr(dot + 1)));
        col = Column{Column::Place::Member, *f, member->fields[*f].type};
      } else if (const auto f = field_of(*input, name)) {
        const TypeKind k = m.types.kind(input->fields[*f].type);
        if (k == TypeKind::List || k == TypeKind::Struct)
          refuse(fmt::format("列 `{}` 是列表或结构：请按“{}.字段”逐列给出", name, name),
                 fmt::format("column `{}` is a list or a structure: give its fields as {}.FIELD", name, name));
        col = Column{Column::Place::Household, *f, input->fields[*f].type};
      } else if (name != key_column) {
        std::string known;
        for (const auto& x : input->fields) known += (known.empty() ? "" : ", ") + x.name;
        refuse(fmt::format("列 `{}` 不是输入的字段（户的字段：{}）", name, known),
               fmt::format("column `{}` is not a field of the input (the household's fields: {})", name, known));
      }
      columns.push_back(col);
      json_keys.emplace_back();
      if (col.place != Column::Place::KeyOnly) {
        append_json_quoted(json_keys.back(), (col.place == Column::Place::Member ? member : input)->fields[col.field].name);
        json_keys.back() += ':';
      }
    }
    if (list) {
      append_json_quoted(list_key, input->fields[*list].name);
      list_key += ":[";
    }
    if (!key_column.empty() && !key)
      refuse(fmt::format("表头中没有键列 `{}`", key_column), fmt::format("the header has no key column `{}`", key_column));
    if (list && !key)
      refuse("有成员列：每行是一名成员，请用 --csv-key 指明哪一列标识同一户",
             "there are member columns, so each row is a member: name the column that identifies a household with --csv-key");
    refuse_missing_required();
  }

  [[noreturn]] static void refuse(const std::string& zh, const std::string& en) { throw CsvError(bilingual(zh, en)); }

  // A required field (no default, not optional: the loader cannot fill it)
  // with no column would reject every household: say so once, at the header.
  void refuse_missing_required() const {
    auto has_column = [&](Column::Place place, uint32_t field) {
      for (const Column& c : columns)
        if (c.place == place && c.field == field) return true;
      return false;
    };
    std::string absent;
    for (uint32_t f = 0; f < input->fields.size(); ++f)
      if (input->fields[f].required && !has_column(Column::Place::Household, f) && list != f)
        absent += (absent.empty() ? "" : "、") + input->fields[f].name;
    if (member)
      for (uint32_t f = 0; f < member->fields.size(); ++f)
        if (member->fields[f].required && !has_column(Column::Place::Member, f))
          absent += (absent.empty() ? "" : "、") + input->fields[*list].name + "." + member->fields[f].name;
    if (!absent.empty())
      refuse(fmt::format("表头中没有必填字段的列：{}（这些字段没有默认值，也不可缺）；未作任何决定", absent),
             fmt::format("the header has no column for the required field(s) {} (they have no default and are not "
                         "optional); nothing was decided", absent));
  }

  // A cell as the JSON value the record loader reads for a field of type t.
  void append_value(std::string& to, const std::string& cell, TypeId t) const {
    const Type& ty = m.types.get(t);
    const TypeKind k = ty.kind == TypeKind::Optional ? m.types.kind(ty.elem) : ty.kind;
    if ((k == TypeKind::Int || k == TypeKind::Months || k == TypeKind::Days) && is_integer(cell)) to += cell;
    else if (k == TypeKind::Bool && (cell == "true" || cell == "是")) to += "true";
    else if (k == TypeKind::Bool && (cell == "false" || cell == "否")) to += "false";
    else append_json_quoted(to, cell);  // amounts and ratios as text; anything else the loader reports with its path
  }
};

namespace {

// A deciding thread's maker of households from a chunk's rows.
class HouseholdRows : public ChunkConverter, RowParser {
 public:
  explicit HouseholdRows(std::shared_ptr<const CsvRecords::Table> table) : keep_(std::move(table)), t_(*keep_) {}

  void convert(Chunk& chunk) override {
    out_ = &chunk;
    chunk.records.clear();
    chunk.problems.clear();
    chunk.cells.clear();
    chunk.bytes.resize(0);
    chunk.column_names = t_.column_names;
    line_ = chunk.raw_line;
    open_ = false;
    if (!parse_all(std::string_view(chunk.raw.data(), chunk.raw.size()))) throw unparsable(line_, error());
    finish_household();
    const size_t end = chunk.bytes.size();
    chunk.bytes.reserve(end + kChunkPadding);
    std::memset(chunk.bytes.data() + end, ' ', kChunkPadding);
    chunk.bytes.resize(end + kChunkPadding);
  }

 private:
  void row(std::span<const std::string> cells, int terminator) override {
    take_row(cells);
    // The next row starts after this one's lines, its quoted cells' line
    // breaks too. A CR LF ends a row at the CR and reports the LF as an
    // empty row: lines are counted at each LF.
    for (const std::string& cell : cells) line_ += std::count(cell.begin(), cell.end(), '\n');
    if (terminator == '\n') ++line_;
  }

  void take_row(std::span<const std::string> cells) {
    if (is_blank(cells)) return;
    const std::optional<size_t>& key = t_.key;
    const bool starts = !open_ || !t_.list || cells.size() <= *key || cells[*key] != open_key_;
    if (starts) {
      finish_household();
      open_ = true;
      open_key_ = key && *key < cells.size() ? cells[*key] : "";
      first_line_ = line_;
      household_.assign(t_.columns.size(), "");
      household_lines_.assign(t_.columns.size(), line_);
      members_.clear();
      member_cells_.clear();
      problem_.reset();
    }
    if (cells.size() != t_.columns.size()) {
      if (!problem_)
        problem_ = RecordProblem{DiagCode::E2013,
                                 {std::to_string(line_ + 1), std::to_string(cells.size()), std::to_string(t_.columns.size())},
                                 0};
      return;
    }
    for (size_t c = 0; c < t_.columns.size(); ++c) {
      if (t_.columns[c].place != Column::Place::Household) continue;
      if (starts) household_[c] = cells[c];
      else if (cells[c] != household_[c] && !problem_)
        problem_ = RecordProblem{DiagCode::E2012,
                                 {open_key_, t_.header[c], household_[c], std::to_string(household_lines_[c] + 1), cells[c],
                                  std::to_string(line_ + 1)},
                                 0};
    }
    if (t_.list) add_member(cells);
  }

  // The row's member cells as one more member object; a row whose member
  // cells are all empty adds no member.
  void add_member(std::span<const std::string> cells) {
    const size_t before = members_.size();
    if (!members_.empty()) members_ += ',';
    const auto object_at = static_cast<uint32_t>(members_.size());
    const size_t row_cell = member_cells_.size();
    member_cells_.push_back(ChunkCell{object_at, 0, line_, ChunkCell::kWholeRow});
    bool any = false;
    for (size_t c = 0; c < t_.columns.size(); ++c) {
      const Column& col = t_.columns[c];
      if (col.place != Column::Place::Member || cells[c].empty()) continue;
      members_ += any ? ',' : '{';
      any = true;
      members_ += t_.json_keys[c];
      const auto begin = static_cast<uint32_t>(members_.size());
      t_.append_value(members_, cells[c], col.type);
      member_cells_.push_back(ChunkCell{begin, static_cast<uint32_t>(members_.size()), line_, static_cast<uint32_t>(c)});
    }
    if (!any) {
      members_.resize(before);
      member_cells_.resize(row_cell);
      return;
    }
    members_ += '}';
    member_cells_[row_cell].end = static_cast<uint32_t>(members_.size());
  }

  void finish_household() {
    if (!open_) return;
    open_ = false;
    // Where each value came from, at its place in the chunk's bytes.
    std::vector<ChunkCell>& cells = out_->cells;
    const auto at = static_cast<uint32_t>(out_->bytes.size());
    const size_t whole = cells.size();
    cells.push_back(ChunkCell{at, 0, first_line_, ChunkCell::kWholeRow});
    std::string& json = json_;
    json = "{";
    for (size_t c = 0; c < t_.columns.size(); ++c) {
      if (t_.columns[c].place != Column::Place::Household || household_[c].empty()) continue;
      if (json.size() > 1) json += ',';
      json += t_.json_keys[c];
      const auto begin = static_cast<uint32_t>(json.size());
      t_.append_value(json, household_[c], t_.columns[c].type);
      cells.push_back(ChunkCell{at + begin, at + static_cast<uint32_t>(json.size()), household_lines_[c], static_cast<uint32_t>(c)});
    }
    if (t_.list) {
      if (json.size() > 1) json += ',';
      json += t_.list_key;
      const auto members_at = at + static_cast<uint32_t>(json.size());
      json += members_;
      json += ']';
      for (ChunkCell c : member_cells_) {
        c.begin += members_at;
        c.end += members_at;
        cells.push_back(c);
      }
    }
    json += '}';
    cells[whole].end = at + static_cast<uint32_t>(json.size());
    append_record(*out_, json, first_line_, problem_);
  }

  const std::shared_ptr<const CsvRecords::Table> keep_;
  const CsvRecords::Table& t_;
  Chunk* out_ = nullptr;
  int64_t line_ = 0;  // 0-based line of the row being read (its first)

  // The household being gathered.
  bool open_ = false;
  std::string open_key_;
  int64_t first_line_ = 0;
  std::vector<std::string> household_;  // its household cells, by column
  std::vector<int64_t> household_lines_;
  std::string members_;                  // its members, as JSON objects joined by commas
  std::vector<ChunkCell> member_cells_;  // where their values came from, at offsets in `members_`
  std::optional<RecordProblem> problem_;
  std::string json_;
};

// Blocks of the file read at a time.
constexpr size_t kReadBlock = 256u << 10;

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
      Table::refuse("没有表头行（文件为空？）", "there is no header row (is the file empty?)");
    const size_t end = row_end(0, false);
    const std::string_view row(carry_.data(), end);
    const std::vector<std::string>* cells = first.of(row);
    if (!cells) throw unparsable(carry_line_, first.error());
    if (!is_blank(*cells)) table_ = std::make_shared<const Table>(m, *cells, key_column);
    carry_line_ += line_breaks(row);
    consumed_ += end;
    carry_.erase(0, end);
  }
}

CsvRecords::~CsvRecords() = default;

std::unique_ptr<ChunkConverter> CsvRecords::converter() const { return std::make_unique<HouseholdRows>(table_); }

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
  for (size_t at = first; at < carry_.size();) {
    const size_t end = row_end(at, false);
    const std::vector<std::string>* cells = row.of(std::string_view(carry_).substr(at, end - at));
    if (!cells) throw unparsable(carry_line_ + line_breaks(std::string_view(carry_).substr(0, at)), row.error());
    if (!is_blank(*cells)) {
      if (cells->size() <= k || (key && (*cells)[k] != *key)) return at;
      if (!key) key = (*cells)[k];
    }
    at = end;
  }
  return carry_.size();
}

bool CsvRecords::next(Chunk& out) {
  const size_t end = cut();
  if (end == 0) return false;
  const std::string_view rows(carry_.data(), end);
  out.raw.assign(rows);
  out.raw_line = carry_line_;
  out.records.clear();
  out.problems.clear();
  out.cells.clear();
  out.bytes.resize(0);
  out.number = next_number_++;
  carry_line_ += line_breaks(rows);
  consumed_ += end;
  carry_.erase(0, end);
  return true;
}

}  // namespace doudi
