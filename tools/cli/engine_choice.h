// --engine interp|jit: which engine decides. Unasked, `batch` takes the
// compiled engine when this build has it (and falls back to the
// interpreter with N0415 when it cannot be loaded); `run` takes the
// interpreter, which decides one household sooner than compiling would.
#pragma once
#include <memory>
#include <optional>
#include <string>

#include "doudi/engine.h"
#include "tools/cli/commands.h"

namespace doudi::cli {

// The engine kind to use, or nullopt after reporting E3011 (an engine asked
// for by name that cannot be had). `asked`: the option's value, or empty.
std::optional<EngineKind> choose_engine(const Common& c, const std::string& asked, bool prefer_compiled,
                                        const std::shared_ptr<const RuleSet>& rules);

}  // namespace doudi::cli
