#include "compiler/analysis/unused_definitions.h"

namespace doudi {

std::vector<bool> reachable_functions(const ir::Module& m, std::vector<uint32_t> roots) {
  std::vector<std::vector<uint32_t>> branches(m.functions.size());
  for (uint32_t f = 0; f < m.functions.size(); ++f)
    if (m.functions[f].owner < m.functions.size()) branches[m.functions[f].owner].push_back(f);
  std::vector<bool> seen(m.functions.size(), false);
  while (!roots.empty()) {
    const uint32_t f = roots.back();
    roots.pop_back();
    if (f >= m.functions.size() || seen[f]) continue;
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
