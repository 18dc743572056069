// One satisfiability query for the static checks. Z3's default solver builds a
// tactic pipeline for every new solver, which costs milliseconds even for a
// trivial query (about 30 times the time our queries take to solve); its plain
// SMT kernel answers the same queries at once. When the kernel gives up (e.g.
// on non-linear arithmetic from a parameter left open), the default solver
// tries again, so nothing is lost but time.
#pragma once
#include <z3++.h>

#include <vector>

namespace doudi::smt {

inline constexpr unsigned kQueryTimeoutMs = 5000;
// Each attempt to make a counterexample household smaller.
inline constexpr unsigned kMinimiseTimeoutMs = 500;

struct Query {
  z3::solver solver;  // holds the facts; after sat, its model is the answer
  z3::check_result result;
};

Query solve(z3::context& ctx, const std::vector<z3::expr>& facts);

}  // namespace doudi::smt
