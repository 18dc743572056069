#include "runtime/batch/csv_households.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <span>

#include "runtime/batch/csv_rows.h"
#include "runtime/diag/diagnostic.h"
#include "runtime/source/utf8.h"

namespace doudi {
namespace {

bool is_integer(std::string_view s) {
  size_t i = s.size() > 1 && s[0] == '-' ? 1 : 0;
  if (i == s.size()) return false;
  for (; i < s.size(); ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
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

CsvTable::CsvTable(const ir::Module& module, std::vector<std::string> names, const std::string& key_column) : m(module) {
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
    CsvColumn col;
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
      col = CsvColumn{CsvColumn::Place::Member, *f, member->fields[*f].type};
    } else if (const auto f = field_of(*input, name)) {
      const TypeKind k = m.types.kind(input->fields[*f].type);
      if (k == TypeKind::List || k == TypeKind::Struct)
        refuse(fmt::format("列 `{}` 是列表或结构：请按“{}.字段”逐列给出", name, name),
               fmt::format("column `{}` is a list or a structure: give its fields as {}.FIELD", name, name));
      col = CsvColumn{CsvColumn::Place::Household, *f, input->fields[*f].type};
    } else if (name != key_column) {
      std::string known;
      for (const auto& x : input->fields) known += (known.empty() ? "" : ", ") + x.name;
      refuse(fmt::format("列 `{}` 不是输入的字段（户的字段：{}）", name, known),
             fmt::format("column `{}` is not a field of the input (the household's fields: {})", name, known));
    }
    columns.push_back(col);
    json_keys.emplace_back();
    if (col.place != CsvColumn::Place::KeyOnly) {
      append_json_quoted(json_keys.back(), (col.place == CsvColumn::Place::Member ? member : input)->fields[col.field].name);
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

void CsvTable::refuse(const std::string& zh, const std::string& en) { throw CsvError(bilingual(zh, en)); }

// A required field (no default, not optional: the loader cannot fill it)
// with no column would reject every household: say so once, at the header.
void CsvTable::refuse_missing_required() const {
  auto has_column = [&](CsvColumn::Place place, uint32_t field) {
    for (const CsvColumn& c : columns)
      if (c.place == place && c.field == field) return true;
    return false;
  };
  std::string absent;
  for (uint32_t f = 0; f < input->fields.size(); ++f)
    if (input->fields[f].required && !has_column(CsvColumn::Place::Household, f) && list != f)
      absent += (absent.empty() ? "" : "、") + input->fields[f].name;
  if (member)
    for (uint32_t f = 0; f < member->fields.size(); ++f)
      if (member->fields[f].required && !has_column(CsvColumn::Place::Member, f))
        absent += (absent.empty() ? "" : "、") + input->fields[*list].name + "." + member->fields[f].name;
  if (!absent.empty())
    refuse(fmt::format("表头中没有必填字段的列：{}（这些字段没有默认值，也不可缺）；未作任何决定", absent),
           fmt::format("the header has no column for the required field(s) {} (they have no default and are not "
                       "optional); nothing was decided", absent));
}

void CsvTable::append_value(std::string& to, const std::string& cell, TypeId t) const {
  const Type& ty = m.types.get(t);
  const TypeKind k = ty.kind == TypeKind::Optional ? m.types.kind(ty.elem) : ty.kind;
  if ((k == TypeKind::Int || k == TypeKind::Months || k == TypeKind::Days) && is_integer(cell)) to += cell;
  else if (k == TypeKind::Bool && (cell == "true" || cell == "是")) to += "true";
  else if (k == TypeKind::Bool && (cell == "false" || cell == "否")) to += "false";
  else append_json_quoted(to, cell);  // amounts and ratios as text; anything else the loader reports with its path
}

namespace {

// A deciding thread's maker of households from a chunk's rows.
class HouseholdRows : public ChunkConverter, RowParser {
 public:
  explicit HouseholdRows(std::shared_ptr<const CsvTable> table) : keep_(std::move(table)), t_(*keep_) {}

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
    chunk.bytes.end_at(chunk.bytes.size());
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
      if (t_.columns[c].place != CsvColumn::Place::Household) continue;
      if (starts) household_[c] = cells[c];
      else if (cells[c] != household_[c] && !problem_)
        problem_ = RecordProblem{DiagCode::E2012,
                                 {open_key_, t_.header[c], household_[c], std::to_string(first_line_ + 1), cells[c],
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
      const CsvColumn& col = t_.columns[c];
      if (col.place != CsvColumn::Place::Member || cells[c].empty()) continue;
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
    json.clear();  // (assigning "{" set off a false -Wrestrict in GCC 12)
    json += '{';
    for (size_t c = 0; c < t_.columns.size(); ++c) {
      if (t_.columns[c].place != CsvColumn::Place::Household || household_[c].empty()) continue;
      if (json.size() > 1) json += ',';
      json += t_.json_keys[c];
      const auto begin = static_cast<uint32_t>(json.size());
      t_.append_value(json, household_[c], t_.columns[c].type);
      cells.push_back(ChunkCell{at + begin, at + static_cast<uint32_t>(json.size()), first_line_, static_cast<uint32_t>(c)});
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

  const std::shared_ptr<const CsvTable> keep_;
  const CsvTable& t_;
  Chunk* out_ = nullptr;
  int64_t line_ = 0;  // 0-based line of the row being read (its first)

  // The household being gathered.
  bool open_ = false;
  std::string open_key_;
  int64_t first_line_ = 0;              // where its first row is: the one its household cells are taken from
  std::vector<std::string> household_;  // its household cells, by column
  std::string members_;                  // its members, as JSON objects joined by commas
  std::vector<ChunkCell> member_cells_;  // where their values came from, at offsets in `members_`
  std::optional<RecordProblem> problem_;
  std::string json_;
};

}  // namespace

std::unique_ptr<ChunkConverter> household_rows(std::shared_ptr<const CsvTable> table) {
  return std::make_unique<HouseholdRows>(std::move(table));
}

}  // namespace doudi
