// Replaying logged decisions: with the rules they were made with (does each
// still give the same answer?) or with new rules (what would change, and by
// how much). The report is data; rendering it is the caller's job.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "doudi/engine.h"
#include "runtime/log/decision_log.h"
#include "runtime/replay/impact.h"

namespace doudi {

struct ReplayDifference {
  uint64_t seq = 0;
  std::string id;
  bool incompatible = false;         // the record, jurisdiction or month does not fit these rules
  std::vector<std::string> changes;  // "output: before → after", "error: …", "flags: …"
};

struct ReplayReport {
  size_t replayed = 0, same = 0;
  size_t other_bundle = 0;  // made with other rules, not replayed (verify mode)
  size_t rejected = 0;      // rejected records: nothing to replay
  std::vector<ReplayDifference> differences;
  std::map<std::string, Impact> by_output;  // impact mode: per output
};

// One way a decision made again differs from the logged one.
struct OutcomeChange {
  enum class Kind { Error, Flags, Output } kind;
  std::string output;  // for Kind::Output
  std::string before, after;
  // "output: before → after", "error: …", "flags: …" in `lang`.
  std::string text(Lang lang) const;
};

// How `d`, the logged record decided again, differs from `logged`. With
// `same_rules` (m is the module the decision was made with: same digest) an
// error logged at another place in the rules is a change too; new rules
// (impact) may have moved their rules.
std::vector<OutcomeChange> outcome_changes(const ir::Module& m, const LogEntry& logged, const Decision& d,
                                           bool same_rules);

// `impact` false: only entries made with `rules` (same digest) are replayed.
// `lang` is the language of the words in ReplayDifference::changes.
ReplayReport replay(const RuleSet& rules, const std::vector<LogEntry>& entries, bool impact, Lang lang);

}  // namespace doudi
