// The explanation tree of a function (expr_tree.h): what runtime/explain
// assumes of it, checked, so a crafted bundle cannot make an explanation read
// outside a function's registers or walk in a cycle.
#include <algorithm>

#include "runtime/ir/verify_internal.h"
#include "runtime/source/operators.h"
#include "runtime/types/builtins.h"

namespace doudi::ir::verify_detail {

void verify_tree(const Module& m, uint32_t index, Problems& problems) {
  const Function& f = m.functions[index];
  // A tree: every node but the root (the last) is the child of exactly one
  // node, and it is at most kMaxTreeDepth deep, so a walk of it is linear
  // in its size and its recursion bounded.
  std::vector<uint32_t> parents(f.tree.size(), 0), depth(f.tree.size(), 1);
  for (uint32_t k = 0; k < f.tree.size(); ++k)
    for (uint32_t kid : f.tree[k].kids)
      if (kid < k) {
        ++parents[kid];
        depth[k] = std::max(depth[k], depth[kid] + 1);
      }
  for (uint32_t k = 0; k < f.tree.size(); ++k) {
    const bool root = k + 1 == f.tree.size();
    if (parents[k] != (root ? 0u : 1u))
      problems.add(index, kWhole, "explanation node {}: {} parents (a tree gives {})", k, parents[k], root ? 0 : 1);
    if (depth[k] > kMaxTreeDepth)
      problems.add(index, kWhole, "explanation node {}: nested {} deep, more than {}", k, depth[k], kMaxTreeDepth);
  }
  for (uint32_t k = 0; k < f.tree.size(); ++k) {
    const ExprNode& n = f.tree[k];
    auto problem = [&](std::string what) {
      problems.add(index, kWhole, "explanation node {}: {}", k, what);
    };
    if (static_cast<uint8_t>(n.shape) > kLastShape) { problem("unknown shape"); continue; }
    if (n.reg >= f.regs.size()) problem(fmt::format("register %{} out of range", n.reg));
    if (n.loc >= m.locations.size()) problem(fmt::format("source location #{} out of range", n.loc));
    for (uint32_t kid : n.kids)
      if (kid >= k) problem(fmt::format("child {} is not an earlier node", kid));
    size_t at_least = 0, exactly = SIZE_MAX;
    switch (n.shape) {
      case Shape::Call:
        if (n.ref >= m.functions.size()) problem(fmt::format("function #{} out of range", n.ref));
        break;
      case Shape::Param:
        if (n.ref >= m.params.size()) problem(fmt::format("parameter #{} out of range", n.ref));
        break;
      case Shape::InJurisdiction:
        if (n.ref >= m.jurisdictions.size()) problem(fmt::format("jurisdiction #{} out of range", n.ref));
        break;
      case Shape::Builtin:
        if (n.op >= kNumBuiltins) problem("unknown builtin");
        break;
      case Shape::Arith:
        exactly = 2;
        if (n.op < static_cast<uint8_t>(Operator::Add) || n.op > static_cast<uint8_t>(Operator::Div) || n.round > 3)
          problem("not an arithmetic operator");
        break;
      case Shape::Compare:
        exactly = 2;
        if (n.op < static_cast<uint8_t>(Operator::Lt) || n.op > static_cast<uint8_t>(Operator::Ne))
          problem("not a comparison");
        break;
      case Shape::And:
      case Shape::Or:
      case Shape::OrElse: exactly = 2; break;
      case Shape::If: exactly = 3; break;
      case Shape::Not:
      case Shape::Neg:
      case Shape::Field:
      case Shape::In: at_least = 1; break;
      case Shape::Aggregate:
        at_least = 1;
        if (n.op > kLastAggregation) problem("unknown aggregation");
        break;
      case Shape::Value: break;
    }
    if (n.kids.size() < at_least || (exactly != SIZE_MAX && n.kids.size() != exactly))
      problem(fmt::format("{} children", n.kids.size()));
  }
}

}  // namespace doudi::ir::verify_detail
