// Record text with the values of 敏感 fields masked, for what a person reads
// on a terminal or in CI output (a rejected record's excerpt): an ID number
// never appears there. Every character keeps its byte length and display
// width, so the offsets and carets of diagnostics about the text stay right.
#pragma once
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/ir/ir.h"
#include "runtime/record/record_loader.h"

namespace doudi {

std::string mask_sensitive_values(const ir::Module& m, std::string_view json);

// The values mask_sensitive_values hid: the runs of `json` where `masked`
// differs from it, so they can be hidden wherever else they appear (in a
// problem's message: "expected text, found 620102…").
std::vector<std::string> masked_runs(std::string_view json, std::string_view masked);

// `text` with every occurrence of each value replaced by `replace(value)`,
// the longest values first.
std::string replace_values(std::string text, std::vector<std::string> values,
                           const std::function<std::string(const std::string&)>& replace);

// A rejected record's problems with the 敏感 values of `json` hidden in their
// messages, each replaced by `replace(value)`.
std::vector<RecordProblem> problems_without_sensitive_values(const ir::Module& m, std::vector<RecordProblem> problems,
                                                             std::string_view json,
                                                             const std::function<std::string(const std::string&)>& replace);
// The replacement a person reads: as many ＊ as the value has characters.
std::string stars_for(const std::string& value);

}  // namespace doudi
