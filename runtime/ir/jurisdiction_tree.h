// The jurisdiction tree and the parameter value in force: one definition,
// used by the IR (interpreter, bundles, checks over IR) and by the checked
// program (proofs and checks before lowering), which store values
// differently. The walk is bounded by the number of jurisdictions, so even a
// malformed tree (a crafted bundle) cannot make it loop.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace doudi {

inline constexpr uint32_t kEverywhere = UINT32_MAX;  // a value set at the declaration; no parent

// Calls visit(k) for `j` and each jurisdiction above it, nearest first, and
// stops at the first that returns true (then returns true).
template <typename ParentOf, typename Visit>
bool walk_up(uint32_t j, size_t count, const ParentOf& parent_of, const Visit& visit) {
  for (size_t k = j, steps = 0; k != kEverywhere && k < count && steps <= count; k = parent_of(static_cast<uint32_t>(k)), ++steps)
    if (visit(static_cast<uint32_t>(k))) return true;
  return false;
}

// Whether `j` is `ancestor` or lies below it (anything lies below kEverywhere).
template <typename ParentOf>
bool is_within(uint32_t j, uint32_t ancestor, size_t count, const ParentOf& parent_of) {
  return ancestor == kEverywhere || walk_up(j, count, parent_of, [&](uint32_t k) { return k == ancestor; });
}

// The value in force in `j` on `day`: among values set for `j`, then for
// each jurisdiction above it, the first in force; else the first value set
// at the declaration that is in force. `jurisdiction_of(v)` and
// `in_force(v, day)` read a value. Returns its index, or kEverywhere if none.
template <typename Value, typename ParentOf, typename JurisdictionOf, typename InForce>
uint32_t value_in_force(const std::vector<Value>& values, uint32_t j, int64_t day, size_t count,
                        const ParentOf& parent_of, const JurisdictionOf& jurisdiction_of, const InForce& in_force) {
  uint32_t found = kEverywhere;
  auto set_here = [&](uint32_t k) {
    for (uint32_t i = 0; i < values.size(); ++i)
      if (jurisdiction_of(values[i]) == k && in_force(values[i], day)) {
        found = i;
        return true;
      }
    return false;
  };
  if (walk_up(j, count, parent_of, set_here)) return found;
  set_here(kEverywhere);
  return found;
}

}  // namespace doudi
