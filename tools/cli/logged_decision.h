// A logged decision made again from its own rules, for the commands that
// tell it (explain, notice): the entry found by id, the bundle checked to be
// the one it was made with, the record reloaded and decided with a trace.
#pragma once
#include <memory>
#include <optional>
#include <string>

#include "doudi/engine.h"
#include "runtime/log/decision_log.h"
#include "runtime/replay/replay.h"
#include "tools/cli/commands.h"

namespace doudi::cli {

struct LoggedDecision {
  LogEntry entry;
  std::shared_ptr<const RuleSet> rules;
  LoadedRecord record;
  DecisionContext context;
  Decision decision;
  std::unique_ptr<TraceRecorder> trace;
  // Where the decision made now differs from the logged one: the same rules
  // must give the same outcome, so any change means the log or the engine
  // is not what it claims.
  std::vector<OutcomeChange> changes;
};

// Says on err, as a warning, how the decision made now differs from the log.
void warn_changes(const Common& c, const LoggedDecision& d);

// Reports (E4003 for the log, E4001 for the bundle) and returns none when
// the entry, the bundle or the record cannot be had. `bundle` may be the
// .doudi module the bundle was made from (its imports found in `import_roots`).
std::optional<LoggedDecision> redecide_logged(const Common& c, const std::string& log, const std::string& id,
                                              const std::string& bundle,
                                              const std::vector<std::string>& import_roots,
                                              const std::string& public_key = "", const std::string& trusted_keys = "");

}  // namespace doudi::cli
