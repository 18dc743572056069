// Writing JSON text: quoting, and decision values as JSON.
#pragma once
#include <string>
#include <string_view>

#include "runtime/ir/ir.h"
#include "runtime/source/utf8.h"  // json_quote

namespace doudi {

// A decision value as JSON: money as an exact decimal number of 元, ratios as
// strings, enums by name, absent optionals as null.
std::string value_to_json(const ir::Module& m, Value v, TypeId t);
// The same, appended to `out`.
void append_value_json(std::string& out, const ir::Module& m, Value v, TypeId t);

}  // namespace doudi
