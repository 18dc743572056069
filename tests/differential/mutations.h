// Crafted rules that pass the verifier: a module's IR mutated at random and
// decided by both engines, which must still agree.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "doudi/engine.h"

namespace doudi::testing {

struct MutationReport {
  uint64_t tried = 0;     // mutants made
  uint64_t refused = 0;   // refused when read back as a bundle (the verifier, mostly)
  uint64_t compared = 0;  // accepted, and decided by both engines
  uint64_t decisions = 0;
  std::string failure;    // the first disagreement, or empty
};

// `mutants` mutants of `rules` (an operand, an opcode, two instructions
// swapped, or a constant changed), each written as a bundle and read back as
// a crafted bundle would be; each one accepted is decided by both engines on
// `records` (JSON) in `contexts`, with a step budget of 100,000 (a mutant
// may loop forever).
MutationReport mutation_pass(const RuleSet& rules, const std::vector<std::string>& records,
                             const std::vector<DecisionContext>& contexts, uint64_t mutants, uint64_t seed);

}  // namespace doudi::testing
