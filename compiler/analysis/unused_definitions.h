// Which functions the rules use: every rule, exception, flag and constraint,
// and the definitions they call, directly or through other definitions. A
// definition used only by tests or by unused definitions is not used.
#pragma once
#include <vector>

#include "runtime/ir/ir.h"

namespace doudi {

// The functions `roots` reach through calls (a rule reaches its branches).
// With `jurisdiction`, as decisions there do: a jurisdiction's exception
// (a condition that starts with `in_jurisdiction J`) is reached only in J
// and below.
std::vector<bool> reachable_functions(const ir::Module& m, std::vector<uint32_t> roots,
                                      uint32_t jurisdiction = UINT32_MAX);

std::vector<bool> functions_used_by_rules(const ir::Module& m);

}  // namespace doudi
