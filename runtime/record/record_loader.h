// Household records: JSON whose keys are the schema's field names. The loader
// validates against the module's input type and reports every problem with
// its JSON path and position; nothing is guessed or defaulted silently (only
// fields with a default in the schema may be left out).
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/diag/diagnostic.h"
#include "runtime/ir/ir.h"
#include "runtime/value/value.h"

namespace doudi {

struct RecordProblem {
  DiagCode code;
  std::vector<std::string> args;
  uint32_t offset = 0;  // byte offset in the JSON text
  // Added by whoever knows more than the loader: for a record made from a
  // table (CSV), the cell the value came from (N0422); for a file given
  // to `run` that holds JSON Lines, what to run instead.
  std::vector<Diagnostic> notes = {};
};

struct LoadedRecord {
  RecordData data;
  std::vector<RecordProblem> problems;
  bool ok() const { return problems.empty(); }
};

// `logged_defaults`: the defaults a decision log's context line gives
// (LogEntry::defaults), used for fields the record leaves out in place of
// the schema's own (the log leaves out fields at the default they had).
LoadedRecord load_record_json(const ir::Module& m, std::string_view json, std::string_view logged_defaults = {});

// The same, for many records one after another (a batch): the parser and
// the record's storage are reused, a record that loads is parsed once, on
// demand, in place, and problems are worked out (by load_record_json) only
// for a record that has some. `readable` bytes from json.data() may be read:
// at least json.size() + 64 (simdjson reads ahead); less, and the record is
// copied first. The result stays valid until the next load.
class RecordReader {
 public:
  explicit RecordReader(const ir::Module& m);
  ~RecordReader();
  RecordReader(const RecordReader&) = delete;
  RecordReader& operator=(const RecordReader&) = delete;
  const LoadedRecord& load(std::string_view json, size_t readable);

 private:
  const ir::Module& m_;
  struct Parser;  // simdjson's on-demand parser, kept out of this header
  std::unique_ptr<Parser> parser_;
  LoadedRecord record_;
  // record::StructOffsets of the module, made once for every record.
  std::vector<std::vector<uint32_t>> offsets_;
};

// Renders problems as diagnostics with the JSON file's line, column and caret;
// `first_line` is the line of `path` where `json` starts (a line of a batch).
std::string render_record_problems(const std::vector<RecordProblem>& problems, const std::string& path,
                                   std::string_view json, const RenderOptions& opts, uint32_t first_line = 1);

}  // namespace doudi
