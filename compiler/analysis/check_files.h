// `check` as a library call: compile each file as the root of its program,
// then every analysis (constraints, missing values, unused definitions, rule
// proofs through the proof cache). The findings are data: diagnostics with
// the compilation whose sources they point into, counterexample households
// as records, and the counts the summary needs. Rendering is the caller's.
#pragma once
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "compiler/analysis/proof_bounds.h"
#include "compiler/driver/pipeline.h"

namespace doudi {

struct CheckOptions {
  std::vector<std::string> import_roots;
  // In-memory buffers over the disk (an editor's unsaved text, rules sent to
  // the service's console): checked in place of the files at their paths.
  SourceFiles files;
  int max_members = smt::kDefaultMaxItems;
  unsigned jobs = 0;       // proof threads; 0: one per core
  bool no_cache = false;
  std::string cache_dir;   // empty: default_proof_cache_dir()
  // Set from another thread to stop early (an editor's next keystroke); the
  // report then holds what was found so far and `cancelled` is true.
  const std::atomic<bool>* cancel = nullptr;
  // Called with each finding as it is made (and kept in the report too), so
  // a long check shows its first findings at once.
  std::function<void(const Diagnostic&, const Compilation&)> on_finding;
};

// A household the proofs found, run through the interpreter where it could be.
struct Counterexample {
  DiagCode finding;          // E5002 (conflict) or E5003 (gap)
  std::string rule;
  std::string jurisdiction;  // empty: where the rules declare none (only declared values hold)
  int64_t month = 0;         // year-month
  std::string household;     // a JSON record of the rules' input
};

struct CheckReport {
  struct Finding {
    Diagnostic diagnostic;
    size_t compilation;  // index into compilations: whose sources the spans are in
  };
  std::vector<std::unique_ptr<Compilation>> compilations;  // one per file checked
  std::vector<Finding> findings;                            // in order, each once
  std::vector<Counterexample> counterexamples;
  size_t files = 0;  // distinct source files read
  size_t errors = 0, warnings = 0;
  size_t proved_rules = 0;  // rules with exceptions proved free of conflicts and gaps
  size_t rules = 0, rules_from_cache = 0;
  std::string cache_dir;  // empty: no cache
  bool cancelled = false;
};

CheckReport check_files(const std::vector<std::string>& files, const CheckOptions& options);

}  // namespace doudi
