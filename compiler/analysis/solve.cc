#include "compiler/analysis/solve.h"

namespace doudi::smt {
namespace {

Query run(z3::solver solver, z3::context& ctx, const std::vector<z3::expr>& facts) {
  z3::params sp(ctx);
  sp.set("timeout", kQueryTimeoutMs);
  solver.set(sp);
  for (const auto& f : facts) solver.add(f);
  const z3::check_result result = solver.check();
  return Query{solver, result};
}

}  // namespace

Query solve(z3::context& ctx, const std::vector<z3::expr>& facts) {
  Query kernel = run(z3::solver(ctx, z3::solver::simple()), ctx, facts);
  if (kernel.result != z3::unknown) return kernel;
  return run(z3::solver(ctx), ctx, facts);
}

}  // namespace doudi::smt
