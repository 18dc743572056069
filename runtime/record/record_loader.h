// Household records: JSON whose keys are the schema's field names. The loader
// validates against the module's input type and reports every problem with
// its JSON path and position; nothing is guessed or defaulted silently (only
// fields with a default in the schema may be left out).
#pragma once
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
};

struct LoadedRecord {
  RecordData data;
  std::vector<RecordProblem> problems;
  bool ok() const { return problems.empty(); }
};

LoadedRecord load_record_json(const ir::Module& m, std::string_view json);

// Renders problems as diagnostics with the JSON file's line, column and caret;
// `first_line` is the line of `path` where `json` starts (a line of a batch).
std::string render_record_problems(const std::vector<RecordProblem>& problems, const std::string& path,
                                   std::string_view json, const RenderOptions& opts, uint32_t first_line = 1);

}  // namespace doudi
