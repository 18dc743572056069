// `diff` as a library call: compile two versions of a rule set (or take one
// twice, to compare two jurisdictions), prove per output that they agree or
// find a household where they differ, each difference confirmed by running
// both versions; answers go through the proof cache. Rendering is the caller's.
#pragma once
#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "compiler/analysis/proof_bounds.h"
#include "compiler/analysis/semantic_diff.h"
#include "compiler/driver/pipeline.h"

namespace doudi {

struct CompareOptions {
  int max_members = smt::kDefaultMaxItems;
  std::optional<std::pair<std::string, std::string>> between;  // old in the first, new in the second jurisdiction
  unsigned jobs = 0;      // 0: one per core
  bool no_cache = false;
  std::string cache_dir;  // empty: default_proof_cache_dir()
  Lang lang = Lang::Zh;   // the outcomes shown for differing households
  const std::atomic<bool>* cancel = nullptr;  // set: outputs not yet compared stay undecided
};

struct CompareReport {
  std::unique_ptr<Compilation> old_version, new_version;
  bool compiled = false;          // both compiled; otherwise their diagnostics say why
  // E0106 with its "did you mean" (a jurisdiction to compare does not
  // exist) or E5010 (the schemas differ): nothing was compared.
  std::vector<Diagnostic> errors;
  DiffReport diff;
  // For each output that differs: what the old and the new version give
  // for the household shown (a value in `lang`, or an error code).
  std::map<std::string, std::pair<std::string, std::string>> outcomes;
  std::string cache_dir;    // empty: no cache
  std::string cache_error;  // why answers could not be stored (W5007)
};

// Two steps, so a caller can check its own arguments against the compiled
// versions before the proofs run: compile both, then (if both compiled)
// compare them.
CompareReport compile_versions(const std::string& old_path, const std::string& new_path,
                               const std::vector<std::string>& import_roots);
void compare_versions(CompareReport& r, const CompareOptions& options);

}  // namespace doudi
