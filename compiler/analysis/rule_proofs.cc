#include "compiler/analysis/rule_proofs.h"

#include <algorithm>
#include <iterator>
#include <mutex>

#include "compiler/analysis/parallel_for.h"

namespace doudi {
namespace {

void append(ConflictReport& to, ConflictReport&& from) {
  auto move_all = [](auto& dst, auto& src) { std::move(src.begin(), src.end(), std::back_inserter(dst)); };
  move_all(to.gaps, from.gaps);
  move_all(to.dead, from.dead);
  move_all(to.conflicts, from.conflicts);
  move_all(to.not_encoded, from.not_encoded);
  move_all(to.undecided, from.undecided);
  move_all(to.proved, from.proved);
}

}  // namespace

ProofRun prove_rules(const Program& p, const ir::Module& m, const ProofOptions& options, const ConfirmConflict& confirm,
                     const ConfirmGap& confirm_gap) {
  std::vector<uint32_t> rules;
  for (uint32_t f = 0; f < p.functions.size(); ++f)
    if (p.functions[f].decided_by_branches()) rules.push_back(f);
  std::vector<ConflictReport> findings(rules.size());
  std::vector<char> cached(rules.size(), 0);
  std::vector<std::string> store_errors(rules.size());
  // The callbacks run the interpreter on one shared module state.
  std::mutex confirming;
  const ConfirmConflict serial_confirm = one_at_a_time(confirm, confirming);
  const ConfirmGap serial_confirm_gap = one_at_a_time(confirm_gap, confirming);
  std::vector<char> done(rules.size(), 0);
  parallel_for(rules.size(), options.jobs, [&](size_t i) {
    if (options.cancel && options.cancel->load()) return;
    done[i] = 1;
    const uint32_t f = rules[i];
    const std::string key = options.cache ? rule_proof_key(p, m, f, options.max_members) : "";
    if (!key.empty()) {
      if (auto hit = options.cache->load(key, p, f)) {
        findings[i] = std::move(*hit);
        cached[i] = 1;
        return;
      }
    }
    findings[i] = check_rule(p, f, serial_confirm, serial_confirm_gap, options.max_members);
    if (!key.empty()) store_errors[i] = options.cache->store(key, p, findings[i]);
  });
  ProofRun run;
  for (size_t i = 0; i < rules.size(); ++i) {
    if (!done[i]) {
      run.cancelled = true;
      continue;
    }
    run.rules.push_back(rules[i]);
    if (cached[i]) run.from_cache.push_back(rules[i]);
    if (run.cache_error.empty()) run.cache_error = store_errors[i];
    append(run.report, std::move(findings[i]));
  }
  return run;
}

}  // namespace doudi
