#include "compiler/analysis/unused_definitions.h"

#include <map>
#include <string>

namespace doudi {

namespace {

// The jurisdiction each branch function of a jurisdiction's exception is
// limited to (its condition's first instruction), UINT32_MAX for the rest.
std::vector<uint32_t> branch_guards(const ir::Module& m) {
  // One pass for the guarded conditions, one to give their exception's
  // value function the same guard (an exception is its owner and label).
  std::map<std::pair<uint32_t, std::string>, uint32_t> guarded;
  for (const auto& fn : m.functions)
    if (fn.kind == ir::FunctionKind::ExceptionCondition && !fn.code.empty() && fn.code[0].op == ir::Op::InJurisdiction)
      guarded[{fn.owner, fn.label}] = fn.code[0].a;
  std::vector<uint32_t> guard(m.functions.size(), UINT32_MAX);
  if (guarded.empty()) return guard;
  for (uint32_t f = 0; f < m.functions.size(); ++f)
    if (auto it = guarded.find({m.functions[f].owner, m.functions[f].label}); it != guarded.end()) guard[f] = it->second;
  return guard;
}

}  // namespace

std::vector<bool> reachable_functions(const ir::Module& m, std::vector<uint32_t> roots, uint32_t jurisdiction) {
  const std::vector<uint32_t> guard = jurisdiction == UINT32_MAX ? std::vector<uint32_t>{} : branch_guards(m);
  std::vector<std::vector<uint32_t>> branches(m.functions.size());
  for (uint32_t f = 0; f < m.functions.size(); ++f)
    if (m.functions[f].owner < m.functions.size()) branches[m.functions[f].owner].push_back(f);
  std::vector<bool> seen(m.functions.size(), false);
  while (!roots.empty()) {
    const uint32_t f = roots.back();
    roots.pop_back();
    if (f >= m.functions.size() || seen[f]) continue;
    // The rule calls its branches; another jurisdiction's are never entered.
    if (!guard.empty() && guard[f] != UINT32_MAX && !m.is_within(jurisdiction, guard[f])) continue;
    seen[f] = true;
    for (uint32_t b : branches[f]) roots.push_back(b);
    for (const auto& in : m.functions[f].code)
      if (in.op == ir::Op::Call) roots.push_back(in.a);
  }
  return seen;
}

std::vector<bool> functions_used_by_rules(const ir::Module& m) {
  std::vector<uint32_t> roots;
  for (uint32_t f = 0; f < m.functions.size(); ++f)
    if (m.functions[f].kind != ir::FunctionKind::Definition) roots.push_back(f);
  return reachable_functions(m, std::move(roots));
}

}  // namespace doudi
