// What run and explain share: choosing outputs by name (--output) and the
// explanation text at the asked level (--detail).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "doudi/engine.h"
#include "tools/cli/commands.h"

namespace doudi::cli {

// One flag per output of the module: those named (all when `names` is
// empty). An unknown name is reported (E3004, with "did you mean").
std::optional<std::vector<bool>> select_outputs(const Common& c, const ir::Module& m,
                                                const std::vector<std::string>& names);

// The explanation at `detail` ("summary" or "full") of the selected outputs.
std::string explanation_text(const Common& c, const ir::Module& m, const Decision& d, const TraceNode& trace,
                             const RecordData& record, const std::vector<bool>& selected, bool any_named,
                             const std::string& detail);

}  // namespace doudi::cli
