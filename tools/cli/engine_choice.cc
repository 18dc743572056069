#include "tools/cli/engine_choice.h"

namespace doudi::cli {

std::optional<EngineKind> choose_engine(const Common& c, const std::string& asked, bool prefer_compiled,
                                        const std::shared_ptr<const RuleSet>& rules) {
  const std::optional<EngineKind> named = asked.empty() ? std::nullopt : engine_named(asked);
  const bool compiled = named ? *named == EngineKind::Compiled : prefer_compiled && compiled_engine_built();
  if (!compiled) return EngineKind::Interpreter;
  // Made once here: the object code is then in the process's cache for the
  // engines the command makes (one per thread).
  std::string error;
  if (make_engine(EngineKind::Compiled, rules, error)) return EngineKind::Compiled;
  if (named) {
    report_plain(c, DiagCode::E3011, {error});
    return std::nullopt;
  }
  report_plain(c, DiagCode::N0415, {error});
  return EngineKind::Interpreter;
}

}  // namespace doudi::cli
