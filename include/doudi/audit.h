// The public API for the decision log: deciding a batch into it, verifying
// its chain, replaying it with the rules it was made with (or new rules, for
// impact), and explaining one decision as text, JSON or an HTML page.
// Runtime only, like doudi/engine.h: neither ANTLR nor Z3.
//
//   std::vector<LogEntry> entries;
//   read_log("decisions.log", entries, error);
//   ReplayReport r = replay(*rules, entries, /*impact=*/false, Lang::Zh);
#pragma once
#include "doudi/engine.h"
#include "runtime/batch/batch.h"
#include "runtime/explain/explain_formats.h"
#include "runtime/log/decision_log.h"
#include "runtime/log/log_entry.h"
#include "runtime/replay/data_impact.h"
#include "runtime/replay/replay.h"
