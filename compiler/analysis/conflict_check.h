// Exception conflicts: two exceptions of one rule, neither taking precedence
// over the other, that some household can satisfy at once with different
// results. Proved absent with Z3 for households of 1 to `max_members` members in
// every jurisdiction and month (parameter environment), or shown with a
// counterexample household that `doudi run` accepts.
#pragma once
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "compiler/analysis/decision_months.h"
#include "compiler/analysis/proof_bounds.h"
#include "compiler/sema/program.h"

namespace doudi {

struct ExceptionConflict {
  uint32_t function;
  uint32_t first, second;  // branch indices
  uint32_t jurisdiction;
  int64_t month;
  std::string record_json;  // empty for rules with parameters
};

struct RuleGap {
  uint32_t function;
  uint32_t jurisdiction;
  int64_t month;
  std::string record_json;
};

struct DeadException {
  uint32_t function;
  uint32_t branch;
  bool masked;  // applies sometimes, but a higher-precedence exception always does too
};

// For one rule, or merged over several.
struct ConflictReport {
  std::vector<RuleGap> gaps;
  std::vector<DeadException> dead;
  std::vector<ExceptionConflict> conflicts;
  std::vector<std::pair<uint32_t, std::string>> not_encoded;  // rule, reason
  std::vector<uint32_t> undecided;                            // solver gave up
  std::vector<uint32_t> proved;                               // rules proved free of conflicts
};

// `confirm`, when given, runs a counterexample (e.g. through the
// interpreter) and says whether it shows the conflict; the search goes on
// until one is confirmed, and falls back to the first one found.
using ConfirmConflict = std::function<bool(const ExceptionConflict&)>;
// For gaps: whether running the household shows E1004.
using ConfirmGap = std::function<bool(const RuleGap&)>;
// Where the proofs decide: every jurisdiction but test fixtures; when a
// program declares none, kNoJurisdiction, where only values set at the
// declarations are in force (the others are unknowns), so a proof is never
// vacuous for want of a place.
inline constexpr uint32_t kNoJurisdiction = UINT32_MAX;
std::vector<uint32_t> decision_places(const Program& p);

// The values of `params` in force in `j` in month `ym` and at the end of the
// year before, as a key; `missing` (if given) counts the ones not set.
std::string values_key(const Program& p, const std::set<uint32_t>& params, uint32_t j, int64_t ym,
                       size_t* missing = nullptr);

// What a function reads, itself or through the functions it calls.
struct RuleInputs {
  bool reads_month = false;    // the decision month, 上年度 or a date-dependent value
  bool reads_as_of = false;    // a parameter as of some date (时的)
  std::set<uint32_t> params;
  std::set<uint32_t> local_jurisdictions;  // where exceptions jurisdictions add apply
};
RuleInputs rule_inputs(const Program& p, uint32_t function);

// What a function sees in `j` in month `ym`, as a key: the values it reads
// (values_key) and which jurisdictions' own exceptions apply there. Two
// places with one key decide the function alike, so proofs and diff look
// at one of them.
std::string setting_key(const Program& p, const RuleInputs& inputs, uint32_t j, int64_t ym, size_t* missing = nullptr);

// The days on which a value of one of `params` (all, if null) starts, stops,
// or is itself a date.
std::set<int64_t> parameter_bounds(const Program& p, const std::set<uint32_t>* params = nullptr);

// Everything the proofs find about one rule: its gaps, exceptions that never
// decide, conflicts, or that it was proved (or could not be encoded). Rules
// are independent of each other, so callers may check them in parallel;
// `confirm` and `confirm_gap` are then called from several threads.
ConflictReport check_rule(const Program& p, uint32_t rule, const ConfirmConflict& confirm = nullptr,
                          const ConfirmGap& confirm_gap = nullptr, int max_members = smt::kDefaultMaxItems);

}  // namespace doudi
