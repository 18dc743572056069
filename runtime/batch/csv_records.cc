#include "runtime/batch/csv_records.h"

#include <csv.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>

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
// `problem` if there is one, and where its values came from (`cells`, at
// offsets in `json`).
void append_record(Chunk& to, std::string_view json, int64_t index, const std::optional<RecordProblem>& problem,
                   const std::vector<ChunkCell>& cells = {}) {
  ChunkBuffer& b = to.bytes;
  const size_t at = b.size();
  for (ChunkCell c : cells) {
    c.begin += static_cast<uint32_t>(at);
    c.end += static_cast<uint32_t>(at);
    to.cells.push_back(c);
  }
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

struct CsvRecords::Impl {
  const ir::Module& m;
  int fd;
  uint64_t left;
  std::string key_column;
  size_t chunk_bytes;
  csv_parser parser{};
  std::vector<std::string> row;       // the fields of the row being read
  std::vector<std::string> header;
  std::shared_ptr<const std::vector<std::string>> column_names;  // the header, for the chunks
  std::vector<Column> columns;
  const ir::Struct* input = nullptr;  // the household
  std::optional<uint32_t> list;       // the members' list: a field of the household
  const ir::Struct* member = nullptr;
  std::optional<size_t> key;          // the key column
  int64_t line = 0;                   // 0-based line of the row being read (its first)
  int64_t breaks = 0;                 // line breaks inside its quoted cells so far
  bool ended = false;                 // the file has been read to its end

  // The household being gathered.
  bool open = false;
  std::string open_key;
  int64_t first_line = 0;
  std::vector<std::string> household;  // its household cells, by column
  std::vector<int64_t> household_lines;
  std::string members;                 // its members, as JSON objects joined by commas
  std::vector<ChunkCell> member_cells; // where their values came from, at offsets in `members`
  std::vector<ChunkCell> record_cells; // the household's, at offsets in its JSON
  std::optional<RecordProblem> problem;

  Chunk* out = nullptr;  // where finished households go
  Chunk pending;         // households finished while the header was read

  Impl(const ir::Module& module, int f, uint64_t size, std::string k, size_t chunk)
      : m(module), fd(f), left(size), key_column(std::move(k)), chunk_bytes(chunk) {
    // Strict, though check_quoting has already refused what strictness would.
    if (csv_init(&parser, CSV_STRICT | CSV_REPALL_NL | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
      throw std::runtime_error("cannot set up the CSV parser");
  }
  // Here, not in ~CsvRecords: a header refused in the constructor frees it too.
  ~Impl() { csv_free(&parser); }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  [[noreturn]] void refuse(const std::string& zh, const std::string& en) { throw CsvError(bilingual(zh, en)); }

  void set_header(std::vector<std::string> names) {
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
    }
    if (!key_column.empty() && !key)
      refuse(fmt::format("表头中没有键列 `{}`", key_column), fmt::format("the header has no key column `{}`", key_column));
    if (list && !key)
      refuse("有成员列：每行是一名成员，请用 --csv-key 指明哪一列标识同一户",
             "there are member columns, so each row is a member: name the column that identifies a household with --csv-key");
    refuse_missing_required();
  }

  // A required field (no default, not optional: the loader cannot fill it)
  // with no column would reject every household: say so once, at the header.
  void refuse_missing_required() {
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
  void append_value(std::string& to, const std::string& cell, TypeId t) {
    const Type& ty = m.types.get(t);
    const TypeKind k = ty.kind == TypeKind::Optional ? m.types.kind(ty.elem) : ty.kind;
    if ((k == TypeKind::Int || k == TypeKind::Months || k == TypeKind::Days) && is_integer(cell)) to += cell;
    else if (k == TypeKind::Bool && (cell == "true" || cell == "是")) to += "true";
    else if (k == TypeKind::Bool && (cell == "false" || cell == "否")) to += "false";
    else append_json_quoted(to, cell);  // amounts and ratios as text; anything else the loader reports with its path
  }

  void finish_household() {
    if (!open) return;
    open = false;
    std::string json = "{";
    record_cells.clear();
    record_cells.push_back(ChunkCell{0, 0, first_line, ChunkCell::kWholeRow});
    for (size_t c = 0; c < columns.size(); ++c) {
      if (columns[c].place != Column::Place::Household || household[c].empty()) continue;
      if (json.size() > 1) json += ',';
      append_json_quoted(json, input->fields[columns[c].field].name);
      json += ':';
      const auto begin = static_cast<uint32_t>(json.size());
      append_value(json, household[c], columns[c].type);
      record_cells.push_back(ChunkCell{begin, static_cast<uint32_t>(json.size()), household_lines[c], static_cast<uint32_t>(c)});
    }
    if (list) {
      if (json.size() > 1) json += ',';
      append_json_quoted(json, input->fields[*list].name);
      json += ":[";
      const auto at = static_cast<uint32_t>(json.size());
      json += members;
      json += ']';
      for (ChunkCell c : member_cells) {
        c.begin += at;
        c.end += at;
        record_cells.push_back(c);
      }
    }
    json += '}';
    record_cells.front().end = static_cast<uint32_t>(json.size());
    append_record(*out, json, first_line, problem, record_cells);
  }

  void take_row() {
    std::vector<std::string> cells = std::move(row);
    row.clear();
    if (cells.empty() || (cells.size() == 1 && cells[0].empty())) return;  // a blank line
    if (header.empty()) {
      set_header(std::move(cells));
      return;
    }
    const bool starts = !open || !list || cells.size() <= *key || cells[*key] != open_key;
    if (starts) {
      finish_household();
      open = true;
      open_key = key && *key < cells.size() ? cells[*key] : "";
      first_line = line;
      household.assign(columns.size(), "");
      household_lines.assign(columns.size(), line);
      members.clear();
      member_cells.clear();
      problem.reset();
    }
    if (cells.size() != columns.size()) {
      if (!problem)
        problem = RecordProblem{DiagCode::E2013,
                                {std::to_string(line + 1), std::to_string(cells.size()), std::to_string(columns.size())},
                                0};
      return;
    }
    for (size_t c = 0; c < columns.size(); ++c) {
      if (columns[c].place != Column::Place::Household) continue;
      if (starts) household[c] = cells[c];
      else if (cells[c] != household[c] && !problem)
        problem = RecordProblem{DiagCode::E2012,
                                {open_key, header[c], household[c], std::to_string(household_lines[c] + 1), cells[c],
                                 std::to_string(line + 1)},
                                0};
    }
    if (list) add_member(cells);
  }

  // The row's member cells as one more member object; a row whose member
  // cells are all empty adds no member.
  void add_member(const std::vector<std::string>& cells) {
    const size_t before = members.size();
    if (!members.empty()) members += ',';
    const auto object_at = static_cast<uint32_t>(members.size());
    const size_t row_cell = member_cells.size();
    member_cells.push_back(ChunkCell{object_at, 0, line, ChunkCell::kWholeRow});
    bool any = false;
    for (size_t c = 0; c < columns.size(); ++c) {
      const Column& col = columns[c];
      if (col.place != Column::Place::Member || cells[c].empty()) continue;
      members += any ? ',' : '{';
      any = true;
      append_json_quoted(members, member->fields[col.field].name);
      members += ':';
      const auto begin = static_cast<uint32_t>(members.size());
      append_value(members, cells[c], col.type);
      member_cells.push_back(ChunkCell{begin, static_cast<uint32_t>(members.size()), line, static_cast<uint32_t>(c)});
    }
    if (!any) {
      members.resize(before);
      member_cells.resize(row_cell);
      return;
    }
    members += '}';
    member_cells[row_cell].end = static_cast<uint32_t>(members.size());
  }

  static void on_field(void* data, size_t n, void* self) {
    auto* p = static_cast<Impl*>(self);
    const std::string& cell = p->row.emplace_back(static_cast<const char*>(data), n);
    p->breaks += std::count(cell.begin(), cell.end(), '\n');  // a quoted cell over several lines
  }
  static void on_row(int terminator, void* self) {
    auto* p = static_cast<Impl*>(self);
    p->take_row();
    // The next row starts after this one's lines. A CR LF ends a row at the
    // CR and reports the LF as an empty row: lines are counted at each LF.
    p->line += p->breaks;
    p->breaks = 0;
    if (terminator == '\n') ++p->line;
  }

  // Feeds up to one block; false at the end of the file.
  bool feed(uint64_t& consumed) {
    if (ended) return false;
    char block[1 << 16];
    ssize_t n = 0;
    const size_t want = static_cast<size_t>(std::min<uint64_t>(sizeof block, left));
    while (want > 0 && (n = ::read(fd, block, want)) < 0 && errno == EINTR) {
    }
    if (n < 0) throw RecordReadError(system_failure("", "", errno));
    if (n == 0) {
      ended = true;
      if (csv_fini(&parser, on_field, on_row, this) != 0) parse_error();
      finish_household();
      return false;
    }
    left -= static_cast<uint64_t>(n);
    consumed += static_cast<uint64_t>(n);
    if (csv_parse(&parser, block, static_cast<size_t>(n), on_field, on_row, this) != static_cast<size_t>(n)) parse_error();
    return true;
  }

  [[noreturn]] void parse_error() {
    const std::string why = csv_strerror(csv_error(&parser));
    refuse(fmt::format("读到第 {} 行时无法解析：{}", line + 1, why), fmt::format("cannot be parsed at line {}: {}", line + 1, why));
  }
};

CsvRecords::CsvRecords(const ir::Module& m, int fd, uint64_t size, std::string key_column, size_t chunk_bytes)
    : impl_(std::make_unique<Impl>(m, fd, size, std::move(key_column), chunk_bytes)) {
  check_quoting(fd, size);
  Chunk scratch;  // nothing is emitted before the header is complete
  impl_->out = &scratch;
  while (impl_->header.empty() && impl_->feed(consumed_)) {
  }
  if (impl_->header.empty()) impl_->refuse("没有表头行（文件为空？）", "there is no header row (is the file empty?)");
  impl_->pending = std::move(scratch);
}

CsvRecords::~CsvRecords() = default;

bool CsvRecords::next(Chunk& out) {
  out.records.clear();
  out.problems.clear();
  out.bytes.resize(0);
  Impl& p = *impl_;
  out.cells.clear();
  out.column_names = p.column_names;
  // Households finished while the header's block was read come first, at
  // the same offsets as in `pending` (which began empty too).
  for (const RecordLine& r : p.pending.records)
    append_record(out, p.pending.line(r), r.index,
                  r.problem ? std::optional(p.pending.problems[r.problem - 1]) : std::nullopt);
  out.cells = std::move(p.pending.cells);
  p.pending.records.clear();
  p.pending.problems.clear();
  p.pending.cells.clear();
  p.out = &out;
  while (out.bytes.size() < p.chunk_bytes && p.feed(consumed_)) {
  }
  if (out.records.empty()) return false;
  out.number = next_number_++;
  const size_t end = out.bytes.size();
  out.bytes.reserve(end + kChunkPadding);
  std::memset(out.bytes.data() + end, ' ', kChunkPadding);
  out.bytes.resize(end + kChunkPadding);
  return true;
}

}  // namespace doudi
