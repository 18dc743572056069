// A solver's model turned back into a household record (JSON) that `doudi
// run` accepts. Internal to compiler/analysis: it speaks Z3.
#pragma once
#include <string>

#include "compiler/analysis/smt_eval.h"

namespace doudi {

// A solver's model as a JSON record of type `t`, for `doudi run`.
std::string json_of(const Program& p, const z3::model& model, const smt::Sym& s, TypeId t);
// After a sat check on `solver`: the household of its model as a JSON record
// of the program's input, with as few members as the solver allows and as
// many fields as possible left out (at their defaults, or absent).
std::string counterexample_json(const Program& p, z3::solver& solver, const smt::Sym& input);

}  // namespace doudi
