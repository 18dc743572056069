#include "runtime/check/unused_definitions.h"

namespace doudi {

std::vector<bool> functions_used_by_rules(const ir::Module& m) {
  std::vector<bool> used(m.functions.size(), false);
  std::vector<uint32_t> work;
  for (uint32_t f = 0; f < m.functions.size(); ++f)
    if (m.functions[f].kind != ir::FunctionKind::Definition) work.push_back(f);
  while (!work.empty()) {
    const uint32_t f = work.back();
    work.pop_back();
    if (f >= m.functions.size() || used[f]) continue;
    used[f] = true;
    for (const auto& in : m.functions[f].code)
      if (in.op == ir::Op::Call) work.push_back(in.a);
  }
  return used;
}

}  // namespace doudi
