// Random household records for any schema, as JSON the loader accepts:
// every field by its type, with edge values mixed in (no members, one, many;
// zero, one 分 and amounts near the 64-bit limit, which overflow; absent
// optionals; fields left at their default; dates at month ends and in leap
// years). Deterministic for a seed.
#pragma once
#include <cstdint>
#include <random>
#include <set>
#include <string>

#include "runtime/ir/ir.h"

namespace doudi::testing {

class RecordGenerator {
 public:
  RecordGenerator(const ir::Module& m, uint64_t seed) : m_(m), rng_(seed) {}
  // One record of the module's input type.
  std::string next();

 private:
  void value(std::string& out, TypeId t, bool may_be_negative, int depth);
  void record(std::string& out, uint32_t struct_index, int depth);
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  int64_t between(int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng_); }

  const ir::Module& m_;
  std::mt19937_64 rng_;
  std::set<const ir::Field*> active_;  // this record's fields with amounts
  bool field_active_ = true;
};

}  // namespace doudi::testing
