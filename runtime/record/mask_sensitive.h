// Record text with the values of 敏感 fields masked, for what a person reads
// on a terminal or in CI output (a rejected record's excerpt): an ID number
// never appears there. Every character keeps its byte length and display
// width, so the offsets and carets of diagnostics about the text stay right.
#pragma once
#include <string>
#include <string_view>

#include "runtime/ir/ir.h"

namespace doudi {

std::string mask_sensitive_values(const ir::Module& m, std::string_view json);

}  // namespace doudi
