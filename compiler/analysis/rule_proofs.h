// Proves every rule of a program (check_rule), on several threads and through
// the proof cache: rules are independent, so each is one task. The findings
// come back in rule order whatever the threads did, so output is stable.
#pragma once
#include <atomic>
#include <optional>

#include "compiler/analysis/conflict_check.h"
#include "runtime/ir/ir.h"
#include "compiler/analysis/proof_cache.h"

namespace doudi {

struct ProofOptions {
  int max_members = smt::kDefaultMaxItems;
  unsigned jobs = 1;                 // threads; at least 1
  std::optional<ProofCache> cache;   // none: prove everything, store nothing
  const std::atomic<bool>* cancel = nullptr;  // set: rules not yet started are skipped
};

struct ProofRun {
  ConflictReport report;
  std::vector<uint32_t> rules;       // rules looked at
  std::vector<uint32_t> from_cache;  // of them, those the cache answered
  std::string cache_error;           // why findings could not be stored, if they could not
  bool cancelled = false;            // some rules were skipped (ProofOptions::cancel)
};

// `confirm` and `confirm_gap` are never called by two threads at once.
ProofRun prove_rules(const Program& p, const ir::Module& m, const ProofOptions& options,
                     const ConfirmConflict& confirm = nullptr, const ConfirmGap& confirm_gap = nullptr);

}  // namespace doudi
