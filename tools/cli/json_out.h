// Decision values as JSON, for `run --json` (and later the decision log).
#pragma once
#include <string>

#include "compiler/ir/ir.h"

namespace doudi::cli {

std::string json_string(const std::string& s);
std::string json_value(const ir::Module& m, Value v, TypeId t);

}  // namespace doudi::cli
