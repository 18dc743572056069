// A function's expression as written, for explanations: one node per
// sub-expression, each naming the register that holds its value when the
// function returns. The interpreter never reads it; runtime/explain walks it
// with the registers a trace kept, to say which conjunct failed, which
// disjunct held and how an amount was computed. Nodes come after their
// children (the root is last), so a tree read from a bundle has no cycles.
#pragma once
#include <cstdint>
#include <vector>

namespace doudi::ir {

enum class Shape : uint8_t {
  Value,           // a literal (op = 1: shown as written), the record, a name bound in the rule (m)
  Field,           // kids[0].field, written in the source text
  Param,           // ref = parameter (in force, 上年度 or 于: the source text says which)
  Call,            // ref = function; kids = arguments
  Builtin,         // op = Builtin; kids = arguments
  Not,             // kids[0]
  Neg,             // kids[0]
  Arith,           // op = Operator (Add, Sub, Mul, Div), round = rounding mode + 1 (0 none)
  Compare,         // op = Operator (Lt … Ne)
  And,             // kids[0] 且 kids[1]: kids[1] is evaluated only if kids[0] holds
  Or,              // kids[1] is evaluated only if kids[0] does not hold
  OrElse,          // kids[0] ?? kids[1]: kids[1] only if kids[0] is absent
  If,              // kids: condition, then, else (one of the two evaluated)
  In,              // kids[0] ∈ kids[1]…; op = 1 for ∉; the set's items follow
  Aggregate,       // op = Aggregation; kids[0] = the list, then the filter and the body
                   // (evaluated per element: their registers hold the last element's)
  InJurisdiction,  // ref = jurisdiction: the decision's jurisdiction is it or below it
};
inline constexpr uint8_t kLastShape = static_cast<uint8_t>(Shape::InJurisdiction);

enum class Aggregation : uint8_t { Sum, Exists, All, Max, Min, CountWhere, CountList };
inline constexpr uint8_t kLastAggregation = static_cast<uint8_t>(Aggregation::CountList);

struct ExprNode {
  Shape shape = Shape::Value;
  uint8_t op = 0;
  uint8_t round = 0;
  uint32_t reg = 0;
  uint32_t loc = 0;  // Module::locations: the sub-expression's source text
  uint32_t ref = 0;
  std::vector<uint32_t> kids;  // indices of earlier nodes
};

}  // namespace doudi::ir
