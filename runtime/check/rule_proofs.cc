#include "runtime/check/rule_proofs.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

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
    if (p.functions[f].rule) rules.push_back(f);
  std::vector<ConflictReport> findings(rules.size());
  std::vector<char> cached(rules.size(), 0);
  // The callbacks run the interpreter on one shared module state.
  std::mutex confirming;
  const ConfirmConflict serial_confirm = confirm ? ConfirmConflict([&](const ExceptionConflict& c) {
    std::lock_guard lock(confirming);
    return confirm(c);
  })
                                                 : nullptr;
  const ConfirmGap serial_confirm_gap = confirm_gap ? ConfirmGap([&](const RuleGap& g) {
    std::lock_guard lock(confirming);
    return confirm_gap(g);
  })
                                                    : nullptr;
  std::atomic<size_t> next{0};
  std::exception_ptr failure;
  std::mutex failing;
  auto work = [&] {
    try {
      for (size_t i = next++; i < rules.size(); i = next++) {
        const uint32_t f = rules[i];
        const std::string key = options.cache ? rule_proof_key(p, m, f, options.max_members) : "";
        if (!key.empty()) {
          if (auto hit = options.cache->load(key, p, f)) {
            findings[i] = std::move(*hit);
            cached[i] = 1;
            continue;
          }
        }
        findings[i] = check_rule(p, f, serial_confirm, serial_confirm_gap, options.max_members);
        if (!key.empty()) options.cache->store(key, p, findings[i]);
      }
    } catch (...) {
      std::lock_guard lock(failing);
      if (!failure) failure = std::current_exception();
      next = rules.size();
    }
  };
  const unsigned threads = std::clamp<unsigned>(options.jobs, 1, static_cast<unsigned>(std::max<size_t>(rules.size(), 1)));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
  ProofRun run;
  run.rules = rules;
  for (size_t i = 0; i < rules.size(); ++i) {
    if (cached[i]) run.from_cache.push_back(rules[i]);
    append(run.report, std::move(findings[i]));
  }
  return run;
}

}  // namespace doudi
