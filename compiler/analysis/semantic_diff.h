// Semantic difference of two versions of a rule set (or of two jurisdictions): for every output both
// have, Z3 either proves the two give the same value for every household
// (within the proof bounds, in every jurisdiction both know, in every month
// where a parameter value of either changes) or finds a household where they
// differ. The two versions must read the same record structure.
#pragma once
#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "compiler/sema/program.h"

namespace doudi {

struct OutputDiff {
  enum class Status { Same, Differs, Undecided, NotEncoded, OnlyOld, OnlyNew };
  std::string name;
  Status status = Status::Same;
  uint32_t old_function = UINT32_MAX, new_function = UINT32_MAX;
  std::string jurisdiction;      // Differs: where (in the old version; empty: no jurisdiction), and in which month
  std::string new_jurisdiction;  // where in the new version (the same, unless comparing two)
  int64_t month = 0;
  std::string record_json;
  std::string reason;        // NotEncoded
};

struct DiffReport {
  std::string schema_mismatch;  // not empty: the record structures differ here
  std::string unknown_jurisdiction;  // not empty: a jurisdiction to compare that does not exist
  std::vector<std::string> jurisdictions;  // compared (in both, not test fixtures); none: only declarations' values
  std::vector<OutputDiff> outputs;
  size_t from_cache = 0;  // outputs answered by the cache
  bool cancelled = false;  // some outputs were not compared (Undecided): the caller cancelled
};

// Answers kept between runs (the proof cache); either may be empty.
struct DiffCache {
  // A stored answer for an output (name and functions set), if any.
  std::function<std::optional<OutputDiff>(const OutputDiff& pending)> load;
  std::function<void(const OutputDiff& answer)> store;
};

// `confirm` runs a found household through both versions and says whether
// they really differ; the search goes on (a bounded number of times) until
// one does, and otherwise reports the output as undecided.
using ConfirmDiff = std::function<bool(const OutputDiff&)>;
// With `between`, the old version in the first jurisdiction is compared with
// the new version in the second (pass one program twice to compare two
// jurisdictions); otherwise every jurisdiction both declare with itself.
// Outputs are compared on up to `jobs` threads; `confirm` is called by one
// thread at a time, and `cache` from several. Setting `cancel` leaves the
// outputs not yet started undecided. A stored "differs" is run
// through `confirm` again (which also shows its outcomes) before it is used.
DiffReport semantic_diff(const Program& old_p, const Program& new_p, int max_members, const ConfirmDiff& confirm,
                         const std::optional<std::pair<std::string, std::string>>& between = std::nullopt,
                         unsigned jobs = 1, const DiffCache& cache = {},
                         const std::atomic<bool>* cancel = nullptr);

}  // namespace doudi
