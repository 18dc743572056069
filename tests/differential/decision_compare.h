// Comparing two engines' decisions bit for bit, and describing one for a
// report of a disagreement.
#pragma once
#include <string>

#include "doudi/engine.h"

namespace doudi::testing {

// Outputs, flags and error results (code, arguments, place) the same; texts
// by content (a text value is an address).
bool same_decision(const ir::Module& m, const Decision& x, const Decision& y);
std::string describe_decision(const ir::Module& m, const Decision& d);

}  // namespace doudi::testing
