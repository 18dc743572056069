// A CSV table's households: the header's columns as the schema's fields
// (CsvTable, checked once per batch), and the converter each deciding
// thread uses to make a chunk's rows into JSON records (docs/cli.md, "CSV
// input"). Internal to runtime/batch: CsvRecords cuts the file into
// chunks, these make the households.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/batch/csv_records.h"
#include "runtime/ir/ir.h"

namespace doudi {

struct CsvColumn {
  enum class Place { Household, Member, KeyOnly } place = Place::KeyOnly;
  uint32_t field = 0;  // in the input struct (Household) or the member struct (Member)
  TypeId type{};
};

struct CsvTable {
  // Reads the header's names; throws CsvError if they do not fit the
  // schema (an unknown column, two lists, no key with member columns, no
  // column for a required field).
  CsvTable(const ir::Module& module, std::vector<std::string> names, const std::string& key_column);

  const ir::Module& m;
  std::vector<std::string> header;
  std::shared_ptr<const std::vector<std::string>> column_names;  // the header, for the chunks
  std::vector<CsvColumn> columns;
  const ir::Struct* input = nullptr;  // the household
  std::optional<uint32_t> list;       // the members' list: a field of the household
  const ir::Struct* member = nullptr;
  std::optional<size_t> key;           // the key column
  std::vector<std::string> json_keys;  // each column's field as a JSON object key, with its colon
  std::string list_key;                // the members' list's, with its colon and bracket

  [[noreturn]] static void refuse(const std::string& zh, const std::string& en);
  // A cell as the JSON value the record loader reads for a field of type t.
  void append_value(std::string& to, const std::string& cell, TypeId t) const;

 private:
  void refuse_missing_required() const;
};

// A deciding thread's converter of chunks from `table`.
std::unique_ptr<ChunkConverter> household_rows(std::shared_ptr<const CsvTable> table);

}  // namespace doudi
